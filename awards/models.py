"""Commendations: the award forms, the proposals a conference (or a board) makes, the decisions that approve
them, and the register the provincial board keeps. Rules in `services.py` and `policies.py`."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from evaluations.models import Nomination, Rating
from models_registry.collation import COLLATION
from models_registry.models import MOVEMENT_FIRST_YEAR, AdministrativeUnit, Initiative, Organization, TimeStampedModel
from models_registry.scope import ScopedQuerySet, scoped_manager
from models_registry.text import search_document


class AwardLevel(models.IntegerChoices):
    """Who grants the form. The province's board enters the central board's decisions in its register."""

    CENTRAL = 0, _("central level")
    PROVINCE = 1, _("province level")
    DISTRICT = 2, _("district level")
    COMMUNE = 3, _("commune level")


class RecipientKind(models.TextChoices):
    COLLECTIVE = "collective", _("collective")
    INDIVIDUAL = "individual", _("individual")


class Recipients(models.TextChoices):
    COLLECTIVES = "collectives", _("collectives only")
    INDIVIDUALS = "individuals", _("individuals only")
    BOTH = "both", _("collectives and individuals")


class AwardForm(models.Model):
    name = models.CharField(_("award form"), max_length=300, unique=True, db_collation=COLLATION)
    level = models.PositiveSmallIntegerField(_("level"), choices=AwardLevel.choices)
    issuing_authority = models.CharField(_("issuing authority"), max_length=300)
    recipients = models.CharField(_("awarded to"), max_length=16, choices=Recipients.choices,
                                  default=Recipients.BOTH)
    min_rating = models.ForeignKey(Rating, verbose_name=_("minimum rating"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   help_text=_("The rating the linked evaluation result must reach; empty: no "
                                               "rating needed (a written justification is enough)."))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("award form")
        verbose_name_plural = _("award forms")
        ordering = ["order", "level", "name"]
        constraints = [models.CheckConstraint(
            condition=Q(valid_until__isnull=True) | Q(valid_from__isnull=True) | Q(valid_until__gte=models.F(
                "valid_from")), name="award_form_validity_in_order")]

    def __str__(self):
        return self.name

    def fits(self, kind: str) -> bool:
        return self.recipients == Recipients.BOTH or self.recipients == {
            RecipientKind.COLLECTIVE: Recipients.COLLECTIVES, RecipientKind.INDIVIDUAL: Recipients.INDIVIDUALS}[kind]

    def valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_until is None
                                                                         or day <= self.valid_until)

    @property
    def deciding_level(self) -> int:
        """The level whose board enters the decision: the province records the central board's."""
        return AwardLevel.PROVINCE if self.level == AwardLevel.CENTRAL else self.level


class DecisionQuerySet(ScopedQuerySet):
    scope_unit_field = "issuing_unit"


class Decision(TimeStampedModel):
    """A commendation decision: one number, one form, many recipients."""

    number = models.CharField(_("decision number"), max_length=60)
    date = models.DateField(_("decision date"))
    signer = models.CharField(_("signed by"), max_length=200)
    issuing_authority = models.CharField(_("issuing authority"), max_length=300)
    award_form = models.ForeignKey(AwardForm, verbose_name=_("award form"), on_delete=models.PROTECT,
                                   related_name="decisions")
    # The unit whose board entered the decision: its scope is the decision's.
    issuing_unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("entered by the board of"),
                                     on_delete=models.PROTECT, related_name="award_decisions")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    unscoped = DecisionQuerySet.as_manager()
    objects = scoped_manager(DecisionQuerySet)

    class Meta:
        verbose_name = _("commendation decision")
        verbose_name_plural = _("commendation decisions")
        ordering = ["-date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["issuing_unit", "number", "date"],
                                               name="decision_number_once")]

    def __str__(self):
        return _("Decision %(number)s of %(date)s") % {"number": self.number, "date": f"{self.date:%d/%m/%Y}"}

    def audit_place(self):
        return self.issuing_unit_id, None


class CommendationStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class CommendationQuerySet(ScopedQuerySet):
    scope_unit_field = "unit"
    scope_organization_field = "organization"

    def approved(self):
        return self.filter(status=CommendationStatus.APPROVED)


class Commendation(TimeStampedModel):
    """One recipient proposed for one award form in one year, and what was decided."""

    recipient_kind = models.CharField(_("recipient"), max_length=16, choices=RecipientKind.choices,
                                      default=RecipientKind.COLLECTIVE)
    # The collective, or the individual's organisation.
    organization = models.ForeignKey(Organization, verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="commendations")
    person_name = models.CharField(_("full name"), max_length=200, blank=True)
    person_position = models.CharField(_("position"), max_length=200, blank=True)
    # Where the recipient sits (the organisation's unit): the scope of the row.
    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("administrative unit"), on_delete=models.PROTECT,
                             related_name="commendations", editable=False)
    initiative = models.ForeignKey(Initiative, verbose_name=_("initiative"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="commendations")
    nomination = models.ForeignKey(Nomination, verbose_name=_("evaluation result"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="commendations")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MOVEMENT_FIRST_YEAR), MaxValueValidator(2100)])
    award_form = models.ForeignKey(AwardForm, verbose_name=_("award form"), on_delete=models.PROTECT,
                                   related_name="commendations")
    justification = models.TextField(_("justification"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=CommendationStatus.choices,
                              default=CommendationStatus.PROPOSED)
    reject_reason = models.TextField(_("reason for rejecting"), blank=True)
    decision = models.ForeignKey(Decision, verbose_name=_("decision"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="commendations")
    prize_amount = models.BigIntegerField(_("prize (VND)"), null=True, blank=True, validators=[MinValueValidator(0)])
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    unscoped = CommendationQuerySet.as_manager()
    objects = scoped_manager(CommendationQuerySet)

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-year", "-pk"]
        permissions = [("decide_commendation", _("Can approve or reject commendations"))]
        constraints = [
            models.CheckConstraint(condition=Q(recipient_kind=RecipientKind.COLLECTIVE) | ~Q(person_name=""),
                                   name="commendation_individual_named"),
            models.CheckConstraint(condition=~Q(status=CommendationStatus.APPROVED) | Q(decision__isnull=False),
                                   name="commendation_approved_has_decision"),
            models.CheckConstraint(condition=~Q(status=CommendationStatus.REJECTED) | ~Q(reject_reason=""),
                                   name="commendation_rejected_has_reason"),
        ]
        indexes = [models.Index(fields=["status", "year"], name="commendation_status_year_idx"),
                   models.Index(fields=["unit", "status"], name="commendation_unit_status_idx")]

    def __str__(self):
        return f"{self.recipient_name} – {self.award_form} ({self.year})"

    @property
    def recipient_name(self) -> str:
        if self.recipient_kind == RecipientKind.INDIVIDUAL:
            return self.person_name
        return self.organization.name if self.organization_id else ""

    def derive_fields(self) -> None:
        """The unit and the search text follow the recipient (bulk inserts call this; save() does too)."""
        if self.organization_id:
            self.unit_id = self.organization.unit_id
        self.search_text = search_document(self.recipient_name, self.person_position,
                                           self.organization.name if self.organization_id else "",
                                           self.initiative.code if self.initiative_id else "")

    def save(self, *args, **kwargs):
        self.derive_fields()
        super().save(*args, **kwargs)
