"""A workbook being built for one person: its question, how far it has got, and the file when done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from models_registry.models import AdministrativeUnit, private_storage


class JobStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("being built")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")


class ReportJobQuerySet(models.QuerySet):
    def owned_by(self, user):
        """A job and its file are their owner's only: nobody else, whatever their scope, sees them."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


def report_path(instance: ReportJob, filename: str) -> str:
    return f"reports/{instance.user_id}/{instance.pk or 'new'}-{filename}"


class ReportJob(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE,
                             related_name="report_jobs")
    # No unit: the whole country.
    scope = models.ForeignKey(AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT,
                              related_name="+", null=True, blank=True)
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("to year"))
    map = models.CharField(_("map"), max_length=16, default="current")
    language = models.CharField(max_length=10, default="vi", editable=False)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (percent)"), default=0)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    file = models.FileField(_("file"), upload_to=report_path, storage=private_storage, max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("report workbook")
        verbose_name_plural = _("report workbooks")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "created_at"], name="report_job_user_idx")]

    def __str__(self):
        return f"{self.scope_name} {self.years_label}"

    @property
    def report_scope(self):
        """The unit, or the whole country."""
        from .selectors import WholeCountry

        return self.scope if self.scope_id else WholeCountry.today()

    @property
    def scope_name(self) -> str:
        return self.report_scope.name

    @property
    def years_label(self) -> str:
        return str(self.year_from) if self.year_from == self.year_to else f"{self.year_from}–{self.year_to}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class StatisticsSnapshot(models.Model):
    """The statistics page's figures for one question (scope, years, map, language) as last computed.

    A country's statistics read every table of the year: the page shows the last figures at once (after a
    cache flush too, since they live in the database) and, when the figures have changed since, computes the
    new ones in the background for the next visit (reports.statistics)."""

    key = models.CharField(max_length=200, unique=True)
    # The public catalogue's version the figures were computed under (models_registry.public_cache).
    version = models.CharField(max_length=32)
    data = models.BinaryField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")

    def __str__(self):
        return self.key
