"""Managing staff accounts inside one's scope: who may create or edit whom, with which role and unit.

A provincial board member creates and edits the accounts of their province only, and never gives a role
above their own or a unit outside their scope. The admin's user forms call these functions.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import notifications, roles
from .audit import field_changes, log_action, log_related_action, values_of
from .models import AdministrativeUnit, Organization, StaffProfile
from .scope import UserScope, users_visible_to

ROLE_RANK = roles.ROLE_RANK  # higher is more powerful; a person gives only roles at or below their own


def role_of(user) -> str | None:
    """The highest role the user holds, or None."""
    names = [group.name for group in user.groups.all() if group.name in ROLE_RANK]
    return max(names, key=ROLE_RANK.__getitem__) if names else None


def rank_of(user) -> int:
    if user.is_superuser:
        return max(ROLE_RANK.values()) + 1
    role = role_of(user)
    return ROLE_RANK[role] if role else 0


def staff_status_for(role: str | None, *, superuser: bool = False) -> bool:
    """Staff status (the admin's door) follows the role: unit staff and council members work in the portal."""
    return superuser or roles.uses_admin(role)


def uses_admin(user) -> bool:
    """Whether the account may open the admin: active staff whose role works there, or a superuser."""
    if not (user.is_active and user.is_staff):
        return False
    # A permission rather than the group's name: the admin has loaded the permissions anyway.
    return user.has_perm(roles.USE_ADMIN)


# Roles that must confirm a code from an authenticator app before they use the admin (DANVAN_REQUIRE_2FA).
TWO_FACTOR_ROLES = (roles.PROVINCIAL_BOARD, roles.SYSTEM_ADMIN)


def requires_two_factor(user) -> bool:
    """Whether the account must have two-step sign-in before it opens the admin: the provincial board,
    system administrators and superusers, when the deployment requires it."""
    from django.conf import settings

    if not settings.DANVAN_REQUIRE_2FA or not user.is_authenticated:
        return False
    return user.is_superuser or role_of(user) in TWO_FACTOR_ROLES


def assignable_roles(acting_user) -> list[str]:
    """Roles the acting user may give, in rank order."""
    if not acting_user.has_perm("auth.change_user") and not acting_user.has_perm("auth.add_user"):
        return []
    own = rank_of(acting_user)
    return [role for role, rank in sorted(ROLE_RANK.items(), key=lambda item: item[1]) if rank <= own]


def manageable_users(acting_user):
    """The accounts the acting user may see in the admin."""
    return users_visible_to(acting_user)


def can_manage_user(acting_user, target) -> bool:
    """Whether the acting user may edit this account (its details, role, unit and password)."""
    if acting_user.is_superuser:
        return True
    if target.is_superuser or not acting_user.has_perm("auth.change_user"):
        return False
    if not users_visible_to(acting_user).filter(pk=target.pk).exists():
        return False
    return rank_of(target) <= rank_of(acting_user)


def validate_staff_assignment(
    *, acting_user, role: str | None, unit: AdministrativeUnit | None, organization: Organization | None,
) -> None:
    """Raise a ValidationError (by field) when the acting user may not give this role, unit or organisation."""
    errors = {}
    scope = UserScope.of(acting_user)
    if role:
        if role not in assignable_roles(acting_user):
            errors["role"] = _("You cannot give a role above your own.")
    elif not acting_user.is_superuser:
        errors["role"] = _("Choose the person's role.")
    if unit is None:
        if not acting_user.is_superuser or role:
            errors["unit"] = _("Choose the administrative unit where the person works.")
    elif not scope.covers_unit(unit):
        errors["unit"] = _("You can only give a unit inside your own area.")
    if organization is not None:
        if not Organization.objects.visible_to(acting_user).filter(pk=organization.pk).exists():
            errors["organization"] = _("You can only choose an organisation inside your own area.")
        elif unit is not None and organization.unit_id != unit.pk:
            errors["organization"] = _("The organisation must be in the chosen administrative unit.")
    elif role == roles.UNIT_STAFF:
        errors["organization"] = _("Unit staff must belong to an organisation.")
    if errors:
        raise ValidationError(errors)


ACCOUNT_FIELDS = ("username", "last_name", "first_name", "email", "is_active", "is_staff", "is_superuser")


def user_save(*, acting_user, user, created: bool) -> None:
    """Save an account's own details (built by the admin's form) after checking the acting user may."""
    User = type(user)
    # Judged on the account as stored, not on what the form has just put in it.
    allowed = (acting_user.has_perm("auth.add_user") if created
               else can_manage_user(acting_user, User.objects.get(pk=user.pk)))
    if not allowed:
        raise PermissionDenied(_("You cannot manage this account."))
    if not acting_user.is_superuser:
        previous = User.objects.filter(pk=user.pk).values_list("is_superuser", "is_staff").first() if user.pk else None
        # Only a superuser makes superusers; staff status follows the role (set by staff_user_assign).
        user.is_superuser, user.is_staff = previous if previous else (False, False)
    with transaction.atomic():
        before = {} if created else values_of(User.objects.select_for_update().get(pk=user.pk), ACCOUNT_FIELDS)
        user.save()
        changes = field_changes(before, user, ACCOUNT_FIELDS)
        if created or changes:
            log_action(user, "user.created" if created else "user.changed", user=acting_user, changes=changes,
                       place=_place_of_account(user))


def user_delete(*, acting_user, user) -> None:
    """Delete an account (superusers only: an account that stops working is normally deactivated)."""
    if not (acting_user.is_superuser and can_manage_user(acting_user, user)) or user.pk == acting_user.pk:
        raise PermissionDenied(_("You cannot delete this account; deactivate it instead."))
    with transaction.atomic():
        log_action(user, "user.deleted", user=acting_user, data={"username": user.get_username()},
                   place=_place_of_account(user))
        user.delete()


def _place_of_account(user) -> tuple[int | None, int | None]:
    profile = StaffProfile.objects.filter(user=user).values_list("unit_id", "organization_id").first()
    return profile if profile else (None, None)


def _assignment_values(user) -> dict[str, str]:
    """An account's role and place as people read them, to log what an assignment changes."""
    profile = StaffProfile.objects.select_related("unit", "organization").filter(user=user).first()
    role = role_of(user)
    values = {"role": str(capfirst(roles.ROLE_LABELS[role])) if role else ""}
    if profile is not None:
        values.update({"unit": str(profile.unit), "organization": str(profile.organization or ""),
                       "position": profile.position})
    return values


def staff_user_assign(
    *, acting_user, user, role: str | None, unit: AdministrativeUnit | None,
    organization: Organization | None = None, position: str = "", phone: str = "", created: bool = False,
) -> StaffProfile | None:
    """Give an account its role and its place (the staff profile), after checking the acting user may.

    `created` is for an account the acting user has just made in the same transaction (it has no place yet,
    so it is not in anybody's scope).
    """
    allowed = (
        acting_user.has_perm("auth.add_user") and not user.is_superuser
        if created else can_manage_user(acting_user, user)
    )
    if not allowed:
        raise PermissionDenied(_("You cannot manage this account."))
    validate_staff_assignment(acting_user=acting_user, role=role, unit=unit, organization=organization)
    with transaction.atomic():
        before = _assignment_values(user)
        if role:
            user.groups.remove(*Group.objects.filter(name__in=ROLE_RANK).exclude(name=role))
            user.groups.add(Group.objects.get(name=role))
        staff = staff_status_for(role or role_of(user), superuser=user.is_superuser)
        if user.is_staff != staff:
            user.is_staff = staff
            user.save(update_fields=["is_staff"])
        if unit is None:
            return None
        profile, _created = StaffProfile.objects.update_or_create(
            user=user,
            defaults={"unit": unit, "organization": organization, "position": position or "", "phone": phone or ""},
        )
        after = {"role": str(capfirst(roles.ROLE_LABELS[role])) if role else before.get("role", ""),
                 "unit": str(unit), "organization": str(organization or ""), "position": position or ""}
        changes = {name: [before.get(name, ""), value] for name, value in after.items()
                   if before.get(name, "") != value}
        if changes:
            log_related_action(user, "user.assigned", related=profile, user=acting_user, changes=changes,
                               place=(unit.pk, organization.pk if organization else None))
        if created:
            notifications.account_created(user, acting_user=acting_user, place=str(organization or unit),
                                          role_label=str(capfirst(roles.ROLE_LABELS[role])) if role else "")
    # The scope and permissions cached on the object are stale now.
    for attr in ("_danvan_scope", "_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(attr, None)
    return profile
