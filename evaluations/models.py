"""Evaluation conferences: criteria, the rating scale, nominations, the council's score sheets and results.

Every year each level holds a conference ("hội nghị đánh giá") that scores the models of its scope, rates
them, recognises the effective ones and proposes the best upward; a "sơ kết" or "tổng kết" covers a range of
years. The rules that change these rows live in `services.py`; who may do what in `policies.py`.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from models_registry.collation import COLLATION
from models_registry.models import (
    MOVEMENT_FIRST_YEAR,
    AdministrativeUnit,
    Initiative,
    Organization,
    TimeStampedModel,
    UnitLevel,
    mark_nominated,
)
from models_registry.scope import ScopedQuerySet, scoped_manager
from models_registry.text import search_document

POINTS = {"max_digits": 6, "decimal_places": 2}


# --- Criteria and the rating scale (reference data of the movement, editable) ---------------------------


class CriteriaSet(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, db_collation=COLLATION)
    description = models.TextField(_("description"), blank=True)
    # When the members' totals for one model differ by more than this, the results flag it for discussion.
    disagreement_spread = models.DecimalField(
        _("spread that flags a disagreement (points)"), default=Decimal("15"), validators=[MinValueValidator(0)],
        **POINTS,
    )

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_points for c in self.criteria.all()), Decimal(0))

    @property
    def is_frozen(self) -> bool:
        """Once a conference using the set has started scoring, its criteria no longer change."""
        return self.conferences.exclude(status=ConferenceStatus.PREPARING).exists()


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, verbose_name=_("criteria set"), on_delete=models.CASCADE,
                                     related_name="criteria")
    name = models.CharField(_("criterion"), max_length=300)
    guidance = models.TextField(_("guidance"), blank=True)
    max_points = models.DecimalField(_("maximum points"), validators=[MinValueValidator(Decimal("0.5"))],
                                     **POINTS)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["criteria_set", "order", "pk"]
        constraints = [models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_positive")]

    def __str__(self):
        return self.name


class Rating(models.Model):
    """One step of the rating scale. A nomination gets the highest rating whose threshold its mean reaches,
    the threshold being a share of the criteria set's maximum (so a set out of 50 rates like one out of 100)."""

    name = models.CharField(_("rating"), max_length=100, unique=True)
    min_percent = models.DecimalField(
        _("threshold (percent of the maximum points)"), max_digits=5, decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)], unique=True,
    )
    counts_as_effective = models.BooleanField(_("counts as effective"), default=False)
    counts_as_highly_effective = models.BooleanField(_("counts as highly effective and replicable"),
                                                     default=False)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("rating scale")
        ordering = ["-min_percent"]

    def __str__(self):
        return self.name


# --- Conferences ------------------------------------------------------------------------------------


class ConferenceKind(models.TextChoices):
    YEARLY = "yearly", _("yearly evaluation")
    MIDTERM = "midterm", _("mid-phase review (sơ kết)")
    FINAL = "final", _("end-of-phase review (tổng kết)")


class ConferenceStatus(models.TextChoices):
    PREPARING = "preparing", _("preparing")
    SCORING = "scoring", _("scoring")
    CLOSED = "closed", _("closed")


class ConferenceQuerySet(ScopedQuerySet):
    scope_unit_field = "host_unit"

    def for_member(self, user):
        return self.filter(members__user=user)


class Conference(TimeStampedModel):
    title = models.CharField(_("title"), max_length=300, db_collation=COLLATION)
    kind = models.CharField(_("kind"), max_length=16, choices=ConferenceKind.choices, default=ConferenceKind.YEARLY)
    year_from = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MOVEMENT_FIRST_YEAR), MaxValueValidator(2100)])
    year_to = models.PositiveSmallIntegerField(
        _("to year"), validators=[MinValueValidator(MOVEMENT_FIRST_YEAR), MaxValueValidator(2100)],
        help_text=_("For a mid-phase or end-of-phase review: the last year it covers."))
    host_unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("host unit"), on_delete=models.PROTECT,
                                  related_name="conferences")
    level = models.PositiveSmallIntegerField(_("level"), choices=UnitLevel.choices, editable=False)
    held_on = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    criteria_set = models.ForeignKey(CriteriaSet, verbose_name=_("criteria set"), on_delete=models.PROTECT,
                                     related_name="conferences")
    status = models.CharField(_("status"), max_length=16, choices=ConferenceStatus.choices,
                              default=ConferenceStatus.PREPARING)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    # Bumped on every change of status: a page acting on a stale state is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    unscoped = ConferenceQuerySet.as_manager()
    objects = scoped_manager(ConferenceQuerySet)

    class Meta:
        verbose_name = _("evaluation conference")
        verbose_name_plural = _("evaluation conferences")
        ordering = ["-year_to", "-held_on", "-pk"]
        permissions = [("reopen_conference", _("Can reopen a closed conference"))]
        constraints = [
            models.CheckConstraint(condition=Q(year_to__gte=F("year_from")), name="conference_years_in_order"),
            models.CheckConstraint(
                condition=~Q(kind=ConferenceKind.YEARLY) | Q(year_to=F("year_from")),
                name="conference_yearly_one_year",
            ),
        ]
        indexes = [models.Index(fields=["host_unit", "status"], name="conference_host_status_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = search_document(self.title, self.place)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def years_label(self) -> str:
        return str(self.year_from) if self.year_from == self.year_to else f"{self.year_from}–{self.year_to}"

    @property
    def is_closed(self) -> bool:
        return self.status == ConferenceStatus.CLOSED

    def audit_place(self):
        return self.host_unit_id, None


class CouncilRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    SECRETARY = "secretary", _("secretary")
    MEMBER = "member", _("member")


class CouncilMemberQuerySet(ScopedQuerySet):
    scope_unit_field = "conference__host_unit"


class CouncilMember(models.Model):
    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE,
                                   related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.PROTECT,
                             related_name="council_seats")
    role = models.CharField(_("role in the council"), max_length=16, choices=CouncilRole.choices,
                            default=CouncilRole.MEMBER)
    position = models.CharField(_("position"), max_length=200, blank=True)
    # The body the member works for: they never score that body's models (recusal).
    organization = models.ForeignKey(Organization, verbose_name=_("works for"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    unscoped = CouncilMemberQuerySet.as_manager()
    objects = scoped_manager(CouncilMemberQuerySet)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["conference", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "user"], name="council_member_once"),
            models.UniqueConstraint(fields=["conference"], condition=Q(role="chair"), name="council_one_chair"),
        ]

    def __str__(self):
        from models_registry.formatting import person_name

        return person_name(self.user)

    def is_recused_from(self, nomination: Nomination) -> bool:
        return self.organization_id is not None and self.organization_id == nomination.initiative.organization_id


class NominationQuerySet(ScopedQuerySet):
    scope_unit_field = "conference__host_unit"

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        mark_nominated(nomination.initiative_id for nomination in objs)  # a bulk insert skips save()
        return created


class Nomination(TimeStampedModel):
    """An initiative put before a conference, with the council's result once it has been scored."""

    conference = models.ForeignKey(Conference, verbose_name=_("conference"), on_delete=models.CASCADE,
                                   related_name="nominations")
    initiative = models.ForeignKey(Initiative, verbose_name=_("initiative"), on_delete=models.PROTECT,
                                   related_name="nominations")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("nominated by"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    # A proposal of a lower conference arrives here as a nomination that says where it came from.
    proposed_by = models.OneToOneField("self", verbose_name=_("proposed by the conference"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="proposed_to")

    # The result: computed from the submitted sheets, then decided by the council.
    sheets_submitted = models.PositiveSmallIntegerField(_("sheets submitted"), default=0)
    mean_score = models.DecimalField(_("mean score"), null=True, blank=True, **POINTS)
    spread = models.DecimalField(_("spread between members"), null=True, blank=True, **POINTS)
    computed_rating = models.ForeignKey(Rating, verbose_name=_("rating from the scores"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    override_rating = models.ForeignKey(Rating, verbose_name=_("rating decided by the council"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    override_reason = models.TextField(_("reason for the council's rating"), blank=True)
    rating = models.ForeignKey(Rating, verbose_name=_("rating"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="nominations")
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    recognised = models.BooleanField(_("recognised at this level"), default=False)
    proposed_upward = models.BooleanField(_("proposed to the next level"), default=False)
    proposed_for_commendation = models.BooleanField(_("proposed for commendation"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    unscoped = NominationQuerySet.as_manager()
    objects = scoped_manager(NominationQuerySet)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["conference", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "initiative"], name="nomination_once_per_conference"),
            models.CheckConstraint(condition=Q(override_rating__isnull=True) | ~Q(override_reason=""),
                                   name="nomination_override_has_reason"),
        ]
        indexes = [models.Index(fields=["initiative", "conference"], name="nomination_initiative_idx")]

    def __str__(self):
        return f"{self.initiative.code} – {self.conference}"

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            mark_nominated([self.initiative_id])

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread > self.conference.criteria_set.disagreement_spread

    def audit_place(self):
        return self.conference.host_unit_id, None


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class ScoreSheetQuerySet(ScopedQuerySet):
    scope_unit_field = "nomination__conference__host_unit"


class ScoreSheet(TimeStampedModel):
    """One council member's scores for one nomination."""

    nomination = models.ForeignKey(Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE,
                                   related_name="sheets")
    member = models.ForeignKey(CouncilMember, verbose_name=_("council member"), on_delete=models.PROTECT,
                               related_name="sheets")
    status = models.CharField(_("status"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    total = models.DecimalField(_("total"), default=Decimal(0), **POINTS)
    comment = models.TextField(_("comment"), blank=True)
    # Who typed it: the member, or the secretary entering a paper sheet on the member's behalf.
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    unscoped = ScoreSheetQuerySet.as_manager()
    objects = scoped_manager(ScoreSheetQuerySet)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["nomination", "member"]
        constraints = [models.UniqueConstraint(fields=["nomination", "member"], name="score_sheet_once")]

    def __str__(self):
        return f"{self.member} – {self.nomination.initiative.code}"

    @property
    def entered_on_behalf(self) -> bool:
        return self.entered_by_id is not None and self.entered_by_id != self.member.user_id


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, verbose_name=_("score sheet"), on_delete=models.CASCADE,
                              related_name="scores")
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT,
                                  related_name="+")
    points = models.DecimalField(_("points"), validators=[MinValueValidator(0)], **POINTS)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_not_negative"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class LatestRating(models.Model):
    """An initiative's most recent rating from a closed conference: what the catalogue filters and badges read.

    Kept in step by the services when a conference closes or reopens, so that no public page works it out
    from every nomination on a visitor's request.
    """

    initiative = models.OneToOneField(Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE,
                                      primary_key=True, related_name="latest_rating")
    rating = models.ForeignKey(Rating, verbose_name=_("rating"), on_delete=models.PROTECT, related_name="+")
    nomination = models.ForeignKey(Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE,
                                   related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("latest rating")
        verbose_name_plural = _("latest ratings")
        # "Highly effective" is the rating's own flag, read through this index: not copied here.
        indexes = [models.Index(fields=["rating"], name="latest_rating_rating_idx")]

    def __str__(self):
        return f"{self.initiative_id}: {self.rating} ({self.year})"
