"""Which rows a person may see: the one place that answers it (DESIGN.md §2).

A user's scope is the administrative unit of their staff profile and everything below it. A unit of the
current map also covers the old units that map into it through the successions (today's Quảng Ngãi covers
the old Quảng Ngãi and Kon Tum); a unit of an old edition covers its own subtree. Unit staff (a profile with
an organisation and no review permission) see only their organisation's rows. Superusers see everything.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from .sql import among

if TYPE_CHECKING:
    from .models import AdministrativeUnit

REVIEW_PERMISSION = "models_registry.review_initiative"

# On while a request is served (ScopeCheckMiddleware): reading a scoped model through `objects` without
# saying for whom is then an error, not a silent read of every row.
_scope_checks: ContextVar[bool] = ContextVar("danvan_scope_checks", default=False)


class ScopeError(RuntimeError):
    """A scoped model was read without saying for whom."""


@contextmanager
def scope_checks():
    """Within the block, `Model.objects` of a scoped model answers only `visible_to(user)` (and the public
    catalogue's own entry points); anything else raises ScopeError."""
    token = _scope_checks.set(True)
    try:
        yield
    finally:
        _scope_checks.reset(token)


@dataclass(frozen=True)
class UserScope:
    everything: bool = False
    unit: AdministrativeUnit | None = None
    # Set for unit staff only: their rows are their organisation's.
    organization_id: int | None = None
    # The organisation of the user's profile, whatever their role (who "owns" a registration).
    own_organization_id: int | None = None

    @property
    def nothing(self) -> bool:
        return not self.everything and self.unit is None

    @classmethod
    def of(cls, user) -> UserScope:
        cached = getattr(user, "_danvan_scope", None)
        if cached is not None:
            return cached
        scope = cls._compute(user)
        if user is not None and getattr(user, "pk", None):
            user._danvan_scope = scope
        return scope

    @classmethod
    def _compute(cls, user) -> UserScope:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()
        from .models import StaffProfile

        profile = StaffProfile.objects.select_related("unit__edition").filter(user_id=user.pk).first()
        own = profile.organization_id if profile else None
        if user.is_superuser:
            return cls(everything=True, own_organization_id=own)
        if profile is None:
            return cls()
        organization_id = None
        if profile.organization_id and not user.has_perm(REVIEW_PERMISSION):
            organization_id = profile.organization_id
        return cls(unit=profile.unit, organization_id=organization_id, own_organization_id=own)

    def unit_ids(self):
        """A subquery of the ids of the units in scope (None when the scope is everything)."""
        from .models import AdministrativeUnit

        if self.everything:
            return None
        if self.unit is None:
            return AdministrativeUnit.objects.none().values("pk")
        return AdministrativeUnit.objects.subtree_of(self.unit).values("pk")

    def covers_unit(self, unit: AdministrativeUnit) -> bool:
        if self.everything:
            return True
        if self.unit is None or unit is None:
            return False
        return in_subtree(unit, self.unit)

    def covers(self, obj: models.Model) -> bool:
        """Whether `visible_to` keeps this row: the model's own scope declarations, read on the object."""
        if self.everything:
            return True
        if self.nothing:
            return False
        declarations = type(obj)._default_manager._queryset_class
        organization_field = getattr(declarations, "scope_organization_field", None)
        if self.organization_id is not None and organization_field:
            return _related_id(obj, organization_field) == self.organization_id
        if not issubclass(declarations, ScopedQuerySet):
            raise TypeError(f"{type(obj).__name__} has no scope declarations")
        if declarations.scope_owner_only:
            lookup, value = declarations.scope_owner_only
            if _related(obj, lookup) == value:
                return False
        return any(self.covers_unit(_related(obj, field) if field else obj) for field in declarations.unit_lookups())


# --- The subtree rule, once for the database and once for a row in memory ---------------------------------


def subtree_q(unit: AdministrativeUnit, prefix: str = "") -> Q:
    """Units at or below `unit`, and the old units that map into it on the current map."""
    return Q(**{f"{prefix}path__startswith": unit.path}) | Q(**{f"{prefix}current_path__startswith": unit.path})


def rows_in_subtree(alias: str, lookup: str, unit: AdministrativeUnit) -> Q:
    """Rows whose unit (`lookup`: "unit", "conference__host_unit", "pk" for units themselves) is at or below
    `unit`, or an old unit mapping into it, read on database `alias` as its planner reads best (sql.among)."""
    from .models import AdministrativeUnit

    return among(alias, lookup, AdministrativeUnit.objects.subtree_of(unit).values("pk"))


def is_province_on_current_map(unit: AdministrativeUnit) -> bool:
    """A province of today's map: its subtree is then every row whose province copy names it
    (AdministrativeUnitQuerySet.province_ids)."""
    from .models import UnitLevel

    return unit.level == UnitLevel.PROVINCE and unit.edition.is_current


def in_subtree(candidate: AdministrativeUnit, unit: AdministrativeUnit) -> bool:
    """The same rule as `subtree_q`, for a unit already read."""
    return candidate.path.startswith(unit.path) or (candidate.current_path or "").startswith(unit.path)


def _related(obj, lookup: str):
    for part in lookup.split("__"):
        obj = getattr(obj, part)
        if obj is None:
            return None
    return obj


def _related_id(obj, lookup: str):
    """The id a lookup like "initiative__organization" or "pk" ends on, without loading the last row."""
    *path, last = lookup.split("__")
    owner = _related(obj, "__".join(path)) if path else obj
    if owner is None:
        return None
    return owner.pk if last == "pk" else getattr(owner, f"{last}_id")


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to narrow itself to what a user may see.

    Subclasses name the lookup from their model to its administrative unit (empty when the model is the
    unit itself) and, where it applies, to the organisation that owns the row. A row that links several units
    (a succession joins an old unit to a new one) names them all in `scope_unit_fields`, and is seen by
    whoever covers any of them.
    """

    scope_unit_field: str = ""
    scope_unit_fields: tuple[str, ...] = ()
    # A copy on the row of the province its unit counts under: a scope of a whole province of today's map reads
    # it (one indexed column) instead of the unit's subtree, which selects the same rows.
    scope_province_field: str | None = None
    scope_organization_field: str | None = None
    # (lookup, value): rows that only their own organisation sees while the lookup has that value — a draft
    # belongs to its unit until it is submitted.
    scope_owner_only: tuple[str, object] | None = None

    @classmethod
    def unit_lookups(cls) -> tuple[str, ...]:
        return cls.scope_unit_fields or (cls.scope_unit_field,)

    def within_q(self, unit: AdministrativeUnit) -> Q:
        """Rows at or below the unit, and (for a unit of today's map) in the old units mapping into it."""
        if self.scope_province_field and is_province_on_current_map(unit):
            return Q(**{self.scope_province_field: unit.pk})
        condition = Q()
        for field in self.unit_lookups():
            condition |= rows_in_subtree(self.db, field or "pk", unit)
        return condition

    def within(self, unit: AdministrativeUnit):
        return self.filter(self.within_q(unit))

    def visible_to(self, user):
        scope = UserScope.of(user)
        if scope.everything:
            return self
        if scope.nothing:
            return self.none()
        if scope.organization_id is not None and self.scope_organization_field:
            return self.filter(**{self.scope_organization_field: scope.organization_id})
        condition = self.within_q(scope.unit)
        if self.scope_owner_only:
            lookup, value = self.scope_owner_only
            condition &= ~Q(**{lookup: value})
        return self.filter(condition)


class ScopedManager(models.Manager):
    """`objects` of a scoped model: fails closed while a request is served.

    Views, admins and import/export resources read rows through `visible_to(user)` (or, for the public
    catalogue, `public()`); services, which check the acting user themselves, and national figures read
    through the model's `unscoped` manager, which says so where it is used. Related managers
    (`organization.initiatives`) hang from a row already allowed and are not checked.
    """

    def get_queryset(self):
        if _scope_checks.get():
            raise ScopeError(
                f"{self.model.__name__}.objects was read without saying for whom: use visible_to(user), or "
                f"{self.model.__name__}.unscoped where every row is meant."
            )
        return super().get_queryset()

    def _unchecked(self):
        return super().get_queryset()

    def visible_to(self, user):
        return self._unchecked().visible_to(user)


def scoped_manager(queryset_class, *public_entry_points: str):
    """A fail-closed `objects` for the queryset class; `public_entry_points` name the queryset methods that
    answer what everybody may see (e.g. the public catalogue) and so need no user."""

    def entry(name):
        def method(self, *args, **kwargs):
            return getattr(self._unchecked(), name)(*args, **kwargs)

        method.__name__ = name
        return method

    manager_class = type(f"Scoped{queryset_class.__name__}Manager", (ScopedManager,),
                         {name: entry(name) for name in public_entry_points})
    return manager_class.from_queryset(queryset_class)()


def users_visible_to(user, queryset=None):
    """The user accounts a person may see: those whose staff profile sits in their scope.

    Accounts without a staff profile (superusers, half-created accounts) are visible to superusers only.
    """
    from django.contrib.auth import get_user_model

    if queryset is None:
        queryset = get_user_model().objects.all()
    scope = UserScope.of(user)
    if scope.everything:
        return queryset
    if scope.nothing or scope.organization_id is not None:
        # Unit staff manage nobody; they may still see their own account.
        return queryset.filter(pk=getattr(user, "pk", None)) if not scope.nothing else queryset.none()
    return queryset.filter(staff_profile__unit__in=scope.unit_ids(), is_superuser=False)
