"""The demo personas: accounts anyone can log in with after `make run`, each opening onto work to do.

The registry creates its own (administrator, provincial board, commune reviewer, unit staff); apps built on
it add theirs through `plugins.register_demo_accounts` (a council member, a secretary…), with the same helper.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.translation import gettext as _

from . import people
from .models import AdministrativeUnit, Organization, StaffProfile, UnitLevel

DEMO_PASSWORD = "DanVan@2026"
PREFERRED_COMMUNE = "Xã Minh Long"


@dataclass(frozen=True)
class DemoPlace:
    """Where the demo personas sit: the default province and one of its communes."""

    province: AdministrativeUnit
    commune: AdministrativeUnit


def demo_place() -> DemoPlace | None:
    province = AdministrativeUnit.objects.current().filter(
        code=settings.DANVAN_DEFAULT_PROVINCE_CODE, level=UnitLevel.PROVINCE).first()
    if province is None:
        return None
    communes = AdministrativeUnit.objects.filter(parent=province, level=UnitLevel.COMMUNE).order_by("path")
    commune = communes.filter(name=PREFERRED_COMMUNE).first() or communes.first()
    return DemoPlace(province, commune)


def ensure_account(username: str, family_names: str, given_name: str, *, role: str | None,
                   unit: AdministrativeUnit, organization: Organization | None = None,
                   superuser: bool = False, position: str = "") -> tuple[object, str]:
    """Create the account if missing (password DEMO_PASSWORD), put it in its role and place; returns the
    account and a line saying what happened, for the command's output."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    state = _("already there, password unchanged")
    # Staff status follows the role, as for accounts made in the admin: unit staff work in the portal.
    is_staff = people.staff_status_for(role, superuser=superuser)
    if user is None:
        user = User.objects.create_user(
            username=username, password=DEMO_PASSWORD, email=f"{username}@example.vn",
            first_name=given_name, last_name=family_names, is_staff=is_staff, is_superuser=superuser,
        )
        state = _("created")
    elif (user.last_name, user.first_name, user.is_staff) != (family_names, given_name, is_staff):
        user.last_name, user.first_name, user.is_staff = family_names, given_name, is_staff
        user.save(update_fields=["last_name", "first_name", "is_staff"])
    if role:
        user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.update_or_create(user=user, defaults={"unit": unit, "organization": organization,
                                                               **({"position": position} if position else {})})
    where = organization.name if organization else unit.name
    who = role or _("system administrator")
    return user, f"  {username:<14} {family_names} {given_name} ({who}) — {where}: {state}"
