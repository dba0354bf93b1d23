"""Who registers what, where: administrative units and their editions, organisations, fields, initiatives.

Names and titles sort in Vietnamese alphabetical order wherever they are sorted (the database column's
collation, see collation.py), so "Đà Nẵng" comes after "Cà Mau", not after "Yên Bái".
"""

from collections import defaultdict

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .batches import chunks
from .collation import COLLATION
from .public_cache import public_catalogue_changed
from .scope import ScopedQuerySet, scoped_manager, subtree_q
from .text import search_document

# The movement started in 2009: no registration or result is older.
MOVEMENT_FIRST_YEAR = 2009


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


# --- Administrative units -------------------------------------------------------------------------


class UnitEdition(models.Model):
    """One edition of the national list of administrative units (e.g. "pre2025", "2025")."""

    code = models.CharField(_("code"), max_length=16, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_current = models.BooleanField(_("current edition"), default=False)

    class Meta:
        verbose_name = _("edition of administrative units")
        verbose_name_plural = _("editions of administrative units")
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="unit_edition_one_current"
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def current(cls) -> "UnitEdition | None":
        return cls.objects.filter(is_current=True).first()


class UnitLevel(models.IntegerChoices):
    PROVINCE = 1, _("province level")
    DISTRICT = 2, _("district level")
    COMMUNE = 3, _("commune level")


class UnitType(models.TextChoices):
    PROVINCE = "tinh", _("province (tỉnh)")
    CITY = "thanh_pho", _("city (thành phố)")
    RURAL_DISTRICT = "huyen", _("rural district (huyện)")
    URBAN_DISTRICT = "quan", _("urban district (quận)")
    TOWN = "thi_xa", _("town (thị xã)")
    COMMUNE = "xa", _("commune (xã)")
    WARD = "phuong", _("ward (phường)")
    TOWNSHIP = "thi_tran", _("township (thị trấn)")
    SPECIAL_ZONE = "dac_khu", _("special zone (đặc khu)")


class AdministrativeUnitQuerySet(ScopedQuerySet):
    scope_unit_field = ""

    def current(self):
        return self.filter(edition__is_current=True)

    def alphabetical(self):
        """Places in Vietnamese alphabetical order of their proper name ("An Phú" before "Bình Minh", whether
        xã or phường), then of their full name."""
        return self.order_by("short_name", "name", "pk")

    def subtree_of(self, unit: "AdministrativeUnit"):
        """The unit, every unit below it, and (for a unit of the current map) the old units mapping into it."""
        return self.filter(subtree_q(unit))

    def province_ids(self, unit_ids) -> dict[int, int]:
        """{unit id: id of the province it counts under}: on today's map for a unit that maps onto it, its own
        (old) province otherwise. The same rule as `subtree_of`, read the other way: a unit is in the subtree
        of today's province P exactly when its province here is P."""
        unit_ids = list(unit_ids)
        if not unit_ids:
            return {}
        places = {pk: province_path(current_path or path) for pk, path, current_path in
                  self.filter(pk__in=unit_ids).values_list("pk", "path", "current_path")}
        provinces = dict(self.filter(level=UnitLevel.PROVINCE, path__in=set(places.values()))
                         .values_list("path", "pk"))
        return {pk: provinces[place] for pk, place in places.items()}


def province_path(path: str) -> str:
    """"2025/51/5104/" → "2025/51/": the path of the province a path lies in."""
    edition, province, _rest = path.split("/", 2)
    return f"{edition}/{province}/"


class AdministrativeUnit(models.Model):
    edition = models.ForeignKey(
        UnitEdition, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="units"
    )
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=200, db_collation=COLLATION)
    # "Minh Long" for "Xã Minh Long": lists of places sort by it, so that "Xã An Phú" and "Phường An Phú" sit
    # together under A rather than every "Phường" before every "Xã".
    short_name = models.CharField(_("short name"), max_length=200, blank=True, db_collation=COLLATION)
    level = models.PositiveSmallIntegerField(_("level"), choices=UnitLevel.choices)
    unit_type = models.CharField(_("type"), max_length=16, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    # "<edition>/<code>/<code>/…/": a prefix match selects a whole subtree with one indexed lookup.
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    current_unit = models.ForeignKey(
        "self", verbose_name=_("counterpart on the current map"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Copy of current_unit.path, kept by the loader, so that scope filters need no join.
    current_path = models.CharField(_("path on the current map"), max_length=255, blank=True, db_index=True,
                                    editable=False)
    # " name | short name | code |" (text.search_document): "minh long" is the short name of "Xã Minh Long".
    search_text = models.CharField(max_length=500, blank=True, editable=False)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["edition", "path"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unit_code_unique_in_edition"),
        ]
        indexes = [models.Index(fields=["edition", "level"], name="unit_edition_level_idx")]

    def __str__(self):
        if self.edition_id and not self._is_on_current_map:
            return f"{self.name} ({_('old')})"
        return self.name

    def save(self, *args, **kwargs):
        """Save the unit with its stored paths derived again, and those of every unit that relies on them.

        Every scope filter reads `path` and `current_path`: a new parent or counterpart moves the unit's
        subtree and the old units that map into it along with it, in the same transaction.
        """
        old_path, old_current_path = (
            AdministrativeUnit.objects.filter(pk=self.pk).values_list("path", "current_path").first()
            if self.pk else None) or (None, None)
        self.path = self.build_path()
        if self.current_unit_id:
            self.current_path = (self.path if self.current_unit_id == self.pk
                                 else AdministrativeUnit.objects.values_list("path", flat=True).get(
                                     pk=self.current_unit_id))
        else:
            self.current_path = ""
        self.search_text = self.build_search_text()
        with transaction.atomic():
            moved = bool(old_path) and old_path != self.path
            # Rows registered in the unit, below it or in the old units mapping into it count elsewhere now.
            remapped = bool(old_path) and (moved or old_current_path != self.current_path)
            super().save(*args, **kwargs)
            if moved:
                self._move_paths(old_path, self.path)
            if remapped:
                rows_follow_units(AdministrativeUnit.objects.subtree_of(self).values_list("pk", flat=True))

    def _move_paths(self, old: str, new: str) -> None:
        below = AdministrativeUnit.objects.exclude(pk=self.pk)
        below.filter(path__startswith=old).update(path=Concat(Value(new), Substr("path", len(old) + 1)))
        AdministrativeUnit.objects.filter(current_path__startswith=old).update(
            current_path=Concat(Value(new), Substr("current_path", len(old) + 1)))

    def build_search_text(self) -> str:
        return search_document(self.name, self.short_name, self.code)

    @cached_property
    def _is_on_current_map(self) -> bool:
        return self.current_unit_id == self.pk if self.pk else True

    def build_path(self) -> str:
        prefix = self.parent.path if self.parent_id else f"{self.edition_id}/"
        return f"{prefix}{self.code}/"


class UnitSuccessionQuerySet(ScopedQuerySet):
    # Seen by whoever covers the old unit or the new one.
    scope_unit_fields = ("predecessor", "successor")


class UnitSuccession(models.Model):
    """Maps an old unit to a new one: many-to-one for mergers, one-to-many (one default) for splits."""

    predecessor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("old unit"), on_delete=models.CASCADE, related_name="successions"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("new unit"), on_delete=models.CASCADE, related_name="predecessions"
    )
    is_default = models.BooleanField(_("default successor"), default=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)

    objects = UnitSuccessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
            models.UniqueConstraint(
                fields=["predecessor"], condition=Q(is_default=True), name="succession_one_default"
            ),
            models.CheckConstraint(condition=~Q(predecessor=F("successor")), name="succession_not_self"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"


# --- Organisations and fields -----------------------------------------------------------------------


class OrganizationCategory(models.TextChoices):
    PARTY_COMMITTEE = "party", _("Party committee")
    GOVERNMENT = "government", _("government body or agency")
    FRONT_AND_UNIONS = "front", _("Fatherland Front and socio-political organisation")
    ARMED_FORCES = "armed", _("armed forces")
    RESIDENTIAL = "residential", _("residential area")
    ENTERPRISE = "enterprise", _("enterprise")
    OTHER = "other", _("other")


class OrganizationQuerySet(ScopedQuerySet):
    scope_unit_field = "unit"
    scope_organization_field = "pk"


class Organization(TimeStampedModel):
    name = models.CharField(_("name"), max_length=255, db_collation=COLLATION)
    category = models.CharField(_("category"), max_length=16, choices=OrganizationCategory.choices)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("administrative unit"), on_delete=models.PROTECT,
        related_name="organizations",
    )
    is_active = models.BooleanField(_("active"), default=True)
    successor = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    search_text = models.CharField(max_length=400, blank=True, editable=False)

    unscoped = OrganizationQuerySet.as_manager()
    objects = scoped_manager(OrganizationQuerySet)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["unit", "category"], name="org_unit_category_idx")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        renamed = self.pk and not Organization.unscoped.filter(pk=self.pk, name=self.name).exists()
        super().save(*args, **kwargs)
        if renamed:
            self.refresh_initiative_search_text()
            public_catalogue_changed()  # searches by the organisation's name now find other initiatives

    def build_search_text(self) -> str:
        return search_document(self.name)

    def refresh_initiative_search_text(self) -> None:
        """Initiatives carry their organisation's name in their search text."""
        initiatives = list(self.initiatives.all())
        for initiative in initiatives:
            initiative.organization = self
            initiative.search_text = initiative.build_search_text()
        Initiative.unscoped.bulk_update(initiatives, ["search_text"], batch_size=1000)


class ActivityField(models.Model):
    """A standard field ("lĩnh vực"), or a local sub-theme that rolls up to one."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200, db_collation=COLLATION)
    parent = models.ForeignKey(
        "self", verbose_name=_("standard field"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="sub_themes", limit_choices_to={"parent__isnull": True},
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["order", "name"]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    @property
    def standard_field(self) -> "ActivityField":
        return self.parent if self.parent_id else self


# --- Initiatives ---------------------------------------------------------------------------------------


class InitiativeKind(models.TextChoices):
    COLLECTIVE = "collective", _("model (collective)")
    INDIVIDUAL = "individual", _("exemplar (individual)")


class InitiativeOrigin(models.TextChoices):
    NEW = "new", _("newly built")
    REPLICATED = "replicated", _("replicated")


class InitiativeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned for changes")
    REJECTED = "rejected", _("rejected")


class Lifecycle(models.TextChoices):
    ACTIVE = "active", _("running")
    DISCONTINUED = "discontinued", _("discontinued")


class InitiativeQuerySet(ScopedQuerySet):
    scope_unit_field = "unit"
    scope_organization_field = "organization"
    scope_owner_only = ("status", "draft")

    scope_province_field = "province"

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        prepare_bulk_write(objs)  # a bulk insert skips save()
        return super().bulk_create(objs, *args, **kwargs)

    def public(self):
        """What the public catalogue may show: accepted initiatives only."""
        return self.filter(status=InitiativeStatus.ACCEPTED)

    def replication_sources(self):
        """The models a registration may say it replicates: proven ones, i.e. the public catalogue's.

        The one answer for every path that offers or accepts a source: the admin's picker, the staff form
        and its search, imports, and the services that save a registration.
        """
        return self.public()


def non_negative(name: str, field: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=name)


class Initiative(TimeStampedModel):
    code = models.CharField(_("code"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=500, db_collation=COLLATION)
    kind = models.CharField(_("kind"), max_length=16, choices=InitiativeKind.choices,
                            default=InitiativeKind.COLLECTIVE)
    person_name = models.CharField(_("exemplar's full name"), max_length=200, blank=True)
    person_position = models.CharField(_("exemplar's position"), max_length=200, blank=True)
    origin = models.CharField(_("origin"), max_length=16, choices=InitiativeOrigin.choices,
                              default=InitiativeOrigin.NEW)
    replicated_from = models.ForeignKey(
        "self", verbose_name=_("replicated model"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="replications",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("registering organisation"), on_delete=models.PROTECT,
        related_name="initiatives",
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("administrative unit"), on_delete=models.PROTECT,
        related_name="initiatives",
    )
    # A copy of the province the unit counts under (AdministrativeUnitQuerySet.province_ids): a provincial
    # board's lists filter and sort on one indexed column instead of gathering every row of its units.
    province = models.ForeignKey(AdministrativeUnit, verbose_name=_("province"), on_delete=models.PROTECT,
                                 related_name="+", editable=False, db_index=False)
    # The unit whose reviewers decide on this registration (the nearest level above the organisation).
    review_unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("reviewing unit"), on_delete=models.PROTECT, related_name="+",
    )
    field = models.ForeignKey(ActivityField, verbose_name=_("field"), on_delete=models.PROTECT,
                              related_name="initiatives")
    registration_year = models.PositiveSmallIntegerField(
        _("registration year"), validators=[MinValueValidator(MOVEMENT_FIRST_YEAR), MaxValueValidator(2100)]
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    situation = models.TextField(_("situation and reason"), blank=True)
    objectives = models.TextField(_("objectives and targets"), blank=True)
    content_methods = models.TextField(_("content and methods"), blank=True)
    area_beneficiaries = models.TextField(_("area and beneficiaries"), blank=True)
    participating_forces = models.TextField(_("participating forces"), blank=True)
    resources = models.TextField(_("resources and budget"), blank=True)
    budget_amount = models.BigIntegerField(_("budget (VND)"), default=0, validators=[MinValueValidator(0)])
    expected_outputs = models.TextField(_("expected outputs"), blank=True)
    sustainability = models.TextField(_("sustainability and replicability"), blank=True)

    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True, validators=[RegexValidator(
        r"^(\+84|0)[0-9 .-]{8,14}$",
        _("Enter a Vietnamese phone number, for example 0905 123 456 or +84 905 123 456."),
    )])
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    status = models.CharField(_("status"), max_length=16, choices=InitiativeStatus.choices,
                              default=InitiativeStatus.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    lifecycle = models.CharField(_("lifecycle"), max_length=16, choices=Lifecycle.choices,
                                 default=Lifecycle.ACTIVE)
    discontinued_reason = models.TextField(_("reason for discontinuing"), blank=True)
    discontinued_year = models.PositiveSmallIntegerField(_("year discontinued"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    # Bumped on every save: an edit made from a stale page is detected instead of overwriting.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    # Whether the initiative has ever been put before an evaluation conference, set by the evaluations app
    # (mark_nominated). Few initiatives are: a search among nominations or score sheets reads a trigram index
    # of their texts only (initiative_nominated_search_trgm, PostgreSQL), not the matches of the whole country.
    was_nominated = models.BooleanField(default=False, editable=False)

    unscoped = InitiativeQuerySet.as_manager()
    objects = scoped_manager(InitiativeQuerySet, "public", "replication_sources")

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-registration_year", "-id"]
        permissions = [
            ("review_initiative", _("Can review registrations")),
            ("decide_any_in_scope", _("Can decide on any registration in scope")),
            ("import_initiative", _("Can import initiatives")),
            ("export_initiative", _("Can export initiatives")),
        ]
        constraints = [
            non_negative("initiative_budget_non_negative", "budget_amount"),
            models.CheckConstraint(
                condition=(
                    Q(origin=InitiativeOrigin.NEW, replicated_from__isnull=True)
                    | Q(origin=InitiativeOrigin.REPLICATED, replicated_from__isnull=False)
                ),
                name="initiative_replication_source_matches_origin",
            ),
            models.CheckConstraint(
                condition=Q(kind=InitiativeKind.COLLECTIVE) | ~Q(person_name=""),
                name="initiative_exemplar_names_person",
            ),
            models.CheckConstraint(
                condition=Q(lifecycle=Lifecycle.ACTIVE) | Q(discontinued_year__isnull=False),
                name="initiative_discontinued_has_year",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="initiative_dates_in_order",
            ),
        ]
        indexes = [
            # Also serves the catalogue's default order (newest registration year, then newest id).
            models.Index(fields=["status", "registration_year", "id"], name="initiative_status_year_id_idx"),
            models.Index(fields=["unit", "status"], name="initiative_unit_status_idx"),
            # A provincial board's lists: the admin's newest first, the catalogue's newest registration year first.
            models.Index(fields=["province", "id"], name="initiative_province_idx"),
            models.Index(fields=["province", "registration_year", "id"], name="initiative_province_year_idx"),
            # The year filters' first year (statistics.first_year_with_data): MIN without reading the table.
            models.Index(fields=["registration_year"], name="initiative_year_idx"),
            models.Index(fields=["review_unit", "status"], name="initiative_review_status_idx"),
            models.Index(fields=["field", "registration_year"], name="initiative_field_year_idx"),
            models.Index(fields=["organization", "registration_year"], name="initiative_org_year_idx"),
            # "Recently recognised" on the home page: the newest decisions among accepted initiatives.
            models.Index(fields=["status", "-decided_at"], name="initiative_status_decided_idx"),
            # The catalogue sorted by name (Vietnamese order, the column's collation): a walk of this index
            # instead of sorting every accepted initiative with ICU comparisons.
            models.Index(fields=["status", "title", "id"], name="initiative_status_title_idx"),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}" if self.code else self.title

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        if not self._state.adding and kwargs.get("update_fields") is None:
            # The flag is written by mark_nominated alone: an instance read before a nomination would clear it.
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [field.name for field in self._meta.concrete_fields
                                       if not field.primary_key and field.name != "was_nominated"
                                       and field.attname not in deferred]
        if self.province_id is None or self._state.adding:
            set_provinces([self])
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "province"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        # The title heads it (matches there rank first); the organisation's name is in too: one indexed column
        # answers "women's union of X".
        organization = self.organization.name if self.organization_id else ""
        return search_document(self.title, self.code, self.person_name, organization)

    @property
    def is_editable_by_owner(self) -> bool:
        return self.status in (InitiativeStatus.DRAFT, InitiativeStatus.RETURNED)


def mark_nominated(initiative_ids) -> None:
    """Record that these initiatives have been put before a conference (see Initiative.was_nominated)."""
    for chunk in chunks(set(initiative_ids)):
        Initiative.unscoped.filter(pk__in=chunk, was_nominated=False).update(was_nominated=True)


def set_provinces(initiatives) -> None:
    """Set each initiative's `province` from its unit (one query for all)."""
    provinces = AdministrativeUnit.objects.province_ids({i.unit_id for i in initiatives})
    for initiative in initiatives:
        initiative.province_id = provinces.get(initiative.unit_id)


def prepare_bulk_write(initiatives) -> None:
    """What save() sets on an initiative, for many written at once (bulk_create, batches.insert_rows)."""
    for initiative in initiatives:
        initiative.search_text = initiative.build_search_text()
    set_provinces(initiatives)


class CodeCounter(models.Model):
    """Hands out readable sequential numbers (e.g. initiative codes per province and year) without races."""

    key = models.CharField(max_length=64, primary_key=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("code counter")
        verbose_name_plural = _("code counters")

    def __str__(self):
        return f"{self.key}: {self.value}"


class InitiativeRowQuerySet(ScopedQuerySet):
    """Rows of an initiative's history (status changes, yearly results), scoped by their own copy of where the
    initiative stands: its unit, and whether it is still a draft (a draft's rows are its owner's). A reviewer's
    list then filters and counts them on the row's own columns instead of joining every initiative of the
    scope. The unit's subtree still comes from the units' stored paths, so a moved or merged unit is followed
    as it is for the initiative itself."""

    scope_unit_field = "unit"
    scope_province_field = "province"
    scope_organization_field = "initiative__organization"
    scope_owner_only = ("draft", True)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        copy_initiative_scope(objs)  # a bulk insert skips save()
        return super().bulk_create(objs, *args, **kwargs)


def copy_initiative_scope(rows) -> None:
    """Set each row's `unit`, `province` and `draft` from its initiative (one query for the rows whose
    initiative is not loaded)."""
    unloaded = {row.initiative_id for row in rows if not type(row).initiative.is_cached(row)}
    stored = ({pk: (unit_id, province_id, status) for pk, unit_id, province_id, status in
               Initiative.unscoped.filter(pk__in=unloaded).values_list("pk", "unit_id", "province_id", "status")}
              if unloaded else {})
    for row in rows:
        initiative = stored.get(row.initiative_id)
        if initiative is None:
            initiative = (row.initiative.unit_id, row.initiative.province_id, row.initiative.status)
        row.unit_id, row.province_id, status = initiative
        row.draft = status == InitiativeStatus.DRAFT


def rows_follow_units(unit_ids) -> None:
    """Units moved on the map (a new parent, a new counterpart): the initiatives and their rows registered
    there take the province the units now count under. One UPDATE per table and province."""
    by_province = defaultdict(list)
    for unit_id, province_id in AdministrativeUnit.objects.province_ids(unit_ids).items():
        by_province[province_id].append(unit_id)
    for province_id, units in by_province.items():
        for model in (Initiative, InitiativeTransition, YearlyResult):
            for some in chunks(units):
                model.unscoped.filter(unit_id__in=some).exclude(province_id=province_id).update(
                    province_id=province_id)


def initiative_rows_follow(initiative_pk: int, *, draft: bool) -> None:
    """The initiative left (or entered) the draft stage: its rows follow, in the same transaction."""
    for model in (InitiativeTransition, YearlyResult):
        model.unscoped.filter(initiative_id=initiative_pk).exclude(draft=draft).update(draft=draft)


class InitiativeRow(models.Model):
    """A row of an initiative's history with a copy of where the initiative stands, for scoping (see
    InitiativeRowQuerySet). An initiative never changes unit (it is its organisation's when registered), and it
    leaves the draft stage once, through services._transition, which updates its rows."""

    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("administrative unit"), on_delete=models.PROTECT,
                             related_name="+", editable=False, db_index=False)
    province = models.ForeignKey(AdministrativeUnit, verbose_name=_("province"), on_delete=models.PROTECT,
                                 related_name="+", editable=False, db_index=False)
    draft = models.BooleanField(_("of a draft"), default=False, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        copy_initiative_scope([self])
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "unit", "province", "draft"}
        super().save(*args, **kwargs)


class YearlyResultQuerySet(InitiativeRowQuerySet):
    pass


class YearlyResult(InitiativeRow, TimeStampedModel):
    initiative = models.ForeignKey(Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE,
                                   related_name="yearly_results")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(MOVEMENT_FIRST_YEAR), MaxValueValidator(2100)]
    )
    is_running = models.BooleanField(_("still running"), default=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    value_mobilised = models.BigIntegerField(_("value mobilised (VND)"), default=0,
                                             validators=[MinValueValidator(0)])
    land_donated_m2 = models.DecimalField(_("land donated (m²)"), max_digits=12, decimal_places=1, default=0,
                                          validators=[MinValueValidator(0)])
    workdays = models.PositiveIntegerField(_("workdays"), default=0)
    narrative = models.TextField(_("narrative"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    unscoped = YearlyResultQuerySet.as_manager()
    objects = scoped_manager(YearlyResultQuerySet)

    class Meta:
        verbose_name = _("yearly result")
        verbose_name_plural = _("yearly results")
        ordering = ["initiative", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "year"], name="yearly_result_one_per_year"),
            non_negative("yearly_result_value_non_negative", "value_mobilised"),
            non_negative("yearly_result_land_non_negative", "land_donated_m2"),
        ]
        indexes = [
            # The lists' order (the latest year first, then the newest initiative), and the year filter.
            models.Index(fields=["year", "initiative"], name="yearly_result_year_idx"),
            # A reviewer's list: the scope's units (not drafts), then the same order.
            models.Index(fields=["unit", "draft", "year", "initiative"], name="yearly_result_unit_idx"),
            models.Index(fields=["province", "year", "initiative"], name="yearly_result_province_idx"),
        ]

    def __str__(self):
        return f"{self.initiative.code} – {self.year}"


class InitiativeTally(models.Model):
    """The national figures of one registration year and field, kept in step on every write
    (statistics.refresh_tally), so that the home page sums a few hundred rows instead of counting every
    registration of the country on a visitor's request."""

    registration_year = models.PositiveSmallIntegerField(_("registration year"))
    field = models.ForeignKey(ActivityField, verbose_name=_("field"), on_delete=models.CASCADE, related_name="+")
    # Left the draft stage; accepted; accepted and still running; value mobilised by the accepted ones (VND).
    registered = models.PositiveIntegerField(default=0)
    recognised = models.PositiveIntegerField(default=0)
    running = models.PositiveIntegerField(default=0)
    value_mobilised = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("national figures of a year and field")
        verbose_name_plural = _("national figures")
        constraints = [models.UniqueConstraint(fields=["registration_year", "field"], name="tally_one_per_cell")]

    def __str__(self):
        return f"{self.registration_year} – {self.field_id}"


def private_storage():
    """The storage of private files: settings.STORAGES["private"] (a folder under PRIVATE_MEDIA_ROOT, or an
    S3-compatible bucket shared by every application server)."""
    if "private" not in settings.STORAGES:  # settings of a project that predates the "private" alias
        return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
    return storages["private"]


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.initiative_id}/{filename}"


class AttachmentKind(models.TextChoices):
    PLAN = "plan", _("plan")
    REPORT = "report", _("report")
    PHOTO = "photo", _("photo")
    OTHER = "other", _("other document")


class AttachmentQuerySet(ScopedQuerySet):
    scope_unit_field = "initiative__unit"
    scope_organization_field = "initiative__organization"
    scope_owner_only = ("initiative__status", "draft")


class Attachment(models.Model):
    initiative = models.ForeignKey(Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE,
                                   related_name="attachments")
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices, default=AttachmentKind.OTHER)
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    unscoped = AttachmentQuerySet.as_manager()
    objects = scoped_manager(AttachmentQuerySet)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["initiative", "uploaded_at"]

    def __str__(self):
        return self.original_name


class InitiativeTransitionQuerySet(InitiativeRowQuerySet):
    pass


class InitiativeTransition(InitiativeRow):
    """The log of every status and lifecycle change: who, when, from, to, why."""

    initiative = models.ForeignKey(Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE,
                                   related_name="transitions")
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    # What the owner changed since the previous submission, for the reviewer to see.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # On a submission: the registration as submitted, which the next submission is compared with.
    snapshot = models.JSONField(_("submitted registration"), default=dict, blank=True, editable=False)
    # Not auto_now_add: imported and seeded history keeps the time the change really happened.
    created_at = models.DateTimeField(_("at"), default=timezone.now, editable=False, db_index=True)

    unscoped = InitiativeTransitionQuerySet.as_manager()
    objects = scoped_manager(InitiativeTransitionQuerySet)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-created_at", "-id"]
        # A reviewer's list: the scope's units, then the log's order.
        indexes = [
            models.Index(fields=["unit", "draft", "created_at", "id"], name="transition_unit_created_idx"),
            models.Index(fields=["province", "created_at", "id"], name="transition_province_idx"),
        ]

    def __str__(self):
        return f"{self.from_label() or '–'} → {self.to_label()}"

    STATUS_LABELS = {**dict(InitiativeStatus.choices), **dict(Lifecycle.choices)}

    def from_label(self) -> str:
        return str(self.STATUS_LABELS.get(self.from_status, self.from_status))

    def to_label(self) -> str:
        return str(self.STATUS_LABELS.get(self.to_status, self.to_status))


# --- Staff --------------------------------------------------------------------------------------------


class StaffProfile(TimeStampedModel):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="staff_profile")
    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("administrative unit"), on_delete=models.PROTECT,
                             related_name="staff")
    organization = models.ForeignKey(Organization, verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="staff")
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return f"{self.user} – {self.unit}"


# --- Audit log ----------------------------------------------------------------------------------------


class AuditEntryQuerySet(ScopedQuerySet):
    scope_unit_field = "unit"
    scope_organization_field = "organization"

    def for_object(self, obj):
        from django.contrib.contenttypes.models import ContentType

        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AuditEntry(models.Model):
    """One business action on one row: who did what, when, and which fields changed from what to what.

    Written by the services inside their transaction (models_registry.audit.log_action), so that an action
    and its trace commit or fail together. Status changes of an initiative also have their own table
    (InitiativeTransition), which the workflow reads; the history pages show both.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", verbose_name=_("kind of record"),
                                     on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(_("record"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=255)
    action = models.CharField(_("action"), max_length=64)
    # {field name: [before, after]} as shown to people (labels of choices, names of related rows).
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    # Where the record sits, so that the log is scoped like the record itself.
    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("administrative unit"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    organization = models.ForeignKey(Organization, verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("at"), default=timezone.now, editable=False)

    unscoped = AuditEntryQuerySet.as_manager()
    objects = scoped_manager(AuditEntryQuerySet)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"], name="audit_object_idx"),
            models.Index(fields=["unit", "created_at"], name="audit_unit_idx"),
            models.Index(fields=["created_at"], name="audit_created_idx"),
        ]

    def __str__(self):
        return f"{self.object_repr}: {self.action}"
