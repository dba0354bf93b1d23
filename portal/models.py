"""What the staff area keeps beside the registry: the registration as it was last submitted."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from models_registry.models import Initiative


class SubmittedSnapshot(models.Model):
    """The editable fields of an initiative at its latest submission.

    On a resubmission after a return, the difference between this snapshot and the current registration is
    what the reviewer sees as "changed" (stored in the submit transition's `changes`).
    """

    initiative = models.OneToOneField(Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE,
                                      related_name="submitted_snapshot")
    version = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("submitted values"), default=dict)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)

    class Meta:
        verbose_name = _("submitted registration")
        verbose_name_plural = _("submitted registrations")

    def __str__(self):
        return f"{self.initiative_id} v{self.version}"
