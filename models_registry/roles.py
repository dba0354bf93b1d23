"""Roles are Django groups; each app declares the roles it needs and the permissions each role holds there.

This module is the plug-in point and the registry's own declarations. Another app adds a `roles.py` that
calls `declare_role` (for a role of its own, e.g. a council member), `grant` (permissions of its models to
any role) and `declare_permission` (a permission no model's Meta declares); the modules are found when the
apps are ready, and every `migrate` brings the groups in step (`sync_roles_after_migrate`): no data migration
is written by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# name (the group) → label, rank (a person gives roles at or below their own rank), permissions.
ROLE_LABELS: dict[str, Promise | str] = {}
ROLE_RANK: dict[str, int] = {}
ROLE_PERMISSIONS: dict[str, list[str]] = {}
# Roles whose holders work in the admin (staff status); the others work in the portal only.
ADMIN_ROLES: set[str] = set()
# Permissions that no model's Meta declares ("app_label.codename", model, name).
EXTRA_PERMISSIONS: list[tuple[str, str, str]] = []


def declare_role(name: str, label: Promise | str, *, rank: int, admin: bool = False) -> str:
    ROLE_LABELS[name] = label
    ROLE_RANK[name] = rank
    ROLE_PERMISSIONS.setdefault(name, [])
    if admin:
        ADMIN_ROLES.add(name)
        grant(name, [USE_ADMIN])
    else:
        ADMIN_ROLES.discard(name)
    return name


def uses_admin(role: str | None) -> bool:
    """Whether holders of this role work in the admin (and so have staff status)."""
    return role in ADMIN_ROLES


def grant(role: str, permissions: Iterable[str]) -> None:
    """Give a declared role some permissions ("app_label.codename")."""
    if role not in ROLE_LABELS:
        raise KeyError(f"Undeclared role: {role}")
    ROLE_PERMISSIONS[role].extend(code for code in permissions if code not in ROLE_PERMISSIONS[role])


def declare_permission(code: str, model: str, name: str) -> str:
    if code not in [existing for existing, _model, _name in EXTRA_PERMISSIONS]:
        EXTRA_PERMISSIONS.append((code, model, name))
    return code


def discover() -> None:
    """Import every app's `roles` module, where its roles and grants are declared."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("roles")


# --- The registry's roles ----------------------------------------------------------------------------------

# Opening the admin at all; given with every role declared with admin=True (checked by the admin site, on
# top of staff status, so that an account whose role works in the portal never gets in).
USE_ADMIN = declare_permission("models_registry.use_admin", "staffprofile", "Can work in the administration")

# Unit staff register and report in the portal's staff area; they never get the admin (least privilege).
UNIT_STAFF = declare_role("Cán bộ đơn vị", _("unit staff"), rank=1)
REVIEWER = declare_role("Cán bộ thẩm định", _("reviewer"), rank=2, admin=True)
PROVINCIAL_BOARD = declare_role("Ban Tuyên giáo và Dân vận Tỉnh ủy", _("provincial board"), rank=3, admin=True)
SYSTEM_ADMIN = declare_role("Quản trị hệ thống", _("system administrator"), rank=4, admin=True)

_READ_REGISTRY = [
    "models_registry.view_administrativeunit",
    "models_registry.view_unitsuccession",
    "models_registry.view_unitedition",
    "models_registry.view_organization",
    "models_registry.view_activityfield",
    "models_registry.view_initiative",
    "models_registry.view_yearlyresult",
    "models_registry.view_attachment",
    "models_registry.view_initiativetransition",
]

# Lists the reference tables (editions, units, successions, fields) in the admin: administrators only.
MANAGE_REFERENCE_DATA = declare_permission("models_registry.manage_reference_data", "administrativeunit",
                                           "Can manage reference data")
declare_permission("models_registry.import_organization", "organization", "Can import organisations")
declare_permission("models_registry.export_organization", "organization", "Can export organisations")
declare_permission("models_registry.export_yearlyresult", "yearlyresult", "Can export yearly results")

# The board and the administrators manage the organisations and the accounts of their area.
_MANAGE_ORGANIZATIONS = [
    "models_registry.add_organization",
    "models_registry.change_organization",
    "models_registry.import_organization",
    "models_registry.export_organization",
]
_MANAGE_ACCOUNTS = [
    "models_registry.view_staffprofile",
    "models_registry.add_staffprofile",
    "models_registry.change_staffprofile",
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
]

grant(UNIT_STAFF, [
    # Organisations and fields are needed to fill in the registration form (autocomplete, choices).
    "models_registry.view_organization",
    "models_registry.view_activityfield",
    "models_registry.view_initiativetransition",
    "models_registry.view_initiative",
    "models_registry.add_initiative",
    "models_registry.change_initiative",
    "models_registry.view_yearlyresult",
    "models_registry.add_yearlyresult",
    "models_registry.change_yearlyresult",
    "models_registry.view_attachment",
    "models_registry.add_attachment",
    "models_registry.delete_attachment",
])
grant(REVIEWER, [
    *_READ_REGISTRY,
    "models_registry.review_initiative",
    "models_registry.export_initiative",
    "models_registry.export_yearlyresult",
])
grant(PROVINCIAL_BOARD, [
    *_READ_REGISTRY,
    "models_registry.review_initiative",
    "models_registry.decide_any_in_scope",
    "models_registry.change_initiative",
    "models_registry.import_initiative",
    "models_registry.export_initiative",
    "models_registry.export_yearlyresult",
    *_MANAGE_ORGANIZATIONS,
    "models_registry.add_yearlyresult",
    "models_registry.change_yearlyresult",
    *_MANAGE_ACCOUNTS,
])
grant(SYSTEM_ADMIN, [
    *_READ_REGISTRY,
    # Units, editions and successions come from the national lists (manage.py load_units): read-only here.
    MANAGE_REFERENCE_DATA,
    *_MANAGE_ORGANIZATIONS,
    "models_registry.add_activityfield",
    "models_registry.change_activityfield",
    *_MANAGE_ACCOUNTS,
    "auth.view_group",
])


def create_extra_permissions(content_type_model, permission_model) -> None:
    """Create the permissions of EXTRA_PERMISSIONS (usable from migrations)."""
    for code, model, name in EXTRA_PERMISSIONS:
        app_label, codename = code.split(".")
        content_type, _created = content_type_model.objects.get_or_create(app_label=app_label, model=model)
        permission_model.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )


def sync_roles_after_migrate(sender, using="default", **kwargs) -> None:
    """Keep the role groups in step with ROLE_PERMISSIONS after every `migrate` (a post_migrate receiver)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    # Receivers run app by app: make sure the permissions of every app exist before the groups get theirs.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    create_extra_permissions(ContentType, Permission)
    sync_roles(Group, Permission)


def sync_roles(group_model, permission_model) -> None:
    """Create the role groups and give each exactly its permissions (usable from migrations)."""
    for name, codes in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.extend(
                permission_model.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)
