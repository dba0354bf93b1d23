"""Who may draw reports, and on which units: the one place that answers it.

A person with the report permission draws the workbook and the statistics of any unit their scope covers:
their own unit, the units below it, and the old units that map into it (a commune of the pre-2025 map is
reached through its district, so old communes are not offered one by one). A superuser chooses any province
of either map, or the whole country. A report's file belongs to whoever asked for it: nobody else sees it.
"""

from __future__ import annotations

from models_registry.models import AdministrativeUnit, UnitLevel
from models_registry.scope import UserScope

from .roles import EXPORT_REPORT
from .selectors import is_whole_country


def can_export(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.has_perm(EXPORT_REPORT))


def report_units(user):
    """The units the person may report on, today's map first."""
    if not can_export(user):
        return AdministrativeUnit.objects.none()
    scope = UserScope.of(user)
    if scope.everything:
        units = AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE)
    elif scope.unit is None or scope.organization_id is not None:
        return AdministrativeUnit.objects.none()
    else:
        units = (AdministrativeUnit.objects.subtree_of(scope.unit)
                 .exclude(edition__is_current=False, level=UnitLevel.COMMUNE))
    return units.select_related("edition").order_by("-edition__is_current", "path")


def can_report_on_country(user) -> bool:
    """Only those whose scope is everything see the whole country's figures."""
    return can_export(user) and UserScope.of(user).everything


def can_report_on(user, scope) -> bool:
    """`scope` is a unit or the whole country (reports.selectors.WholeCountry)."""
    if is_whole_country(scope):
        return can_report_on_country(user)
    return report_units(user).filter(pk=scope.pk).exists()


def default_unit(user) -> AdministrativeUnit | None:
    scope = UserScope.of(user)
    return scope.unit if scope.unit is not None and can_report_on(user, scope.unit) else None
