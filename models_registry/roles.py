"""Roles are Django groups; this module names them and the permissions each one holds."""

from django.utils.translation import gettext_lazy as _

UNIT_STAFF = "Cán bộ đơn vị"
REVIEWER = "Cán bộ thẩm định"
PROVINCIAL_BOARD = "Ban Tuyên giáo và Dân vận Tỉnh ủy"
SYSTEM_ADMIN = "Quản trị hệ thống"

ROLE_LABELS = {
    UNIT_STAFF: _("unit staff"),
    REVIEWER: _("reviewer"),
    PROVINCIAL_BOARD: _("provincial board"),
    SYSTEM_ADMIN: _("system administrator"),
}

_READ_REGISTRY = [
    "models_registry.view_administrativeunit",
    "models_registry.view_unitsuccession",
    "models_registry.view_unitedition",
    "models_registry.view_organization",
    "models_registry.view_field",
    "models_registry.view_initiative",
    "models_registry.view_yearlyresult",
    "models_registry.view_attachment",
    "models_registry.view_initiativetransition",
]

# Lists the reference tables (editions, units, successions, fields) in the admin: administrators only.
MANAGE_REFERENCE_DATA = "models_registry.manage_reference_data"

# "app_label.codename" per role; the groups are created and kept in step by a data migration.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    UNIT_STAFF: [
        # Organisations and fields are needed to fill in the registration form (autocomplete, choices).
        "models_registry.view_organization",
        "models_registry.view_field",
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
    ],
    REVIEWER: [
        *_READ_REGISTRY,
        "models_registry.review_initiative",
        "models_registry.export_initiative",
        "models_registry.export_yearlyresult",
    ],
    PROVINCIAL_BOARD: [
        *_READ_REGISTRY,
        "models_registry.review_initiative",
        "models_registry.decide_any_in_scope",
        "models_registry.change_initiative",
        "models_registry.import_initiative",
        "models_registry.export_initiative",
        "models_registry.export_yearlyresult",
        "models_registry.add_organization",
        "models_registry.change_organization",
        "models_registry.import_organization",
        "models_registry.export_organization",
        "models_registry.add_yearlyresult",
        "models_registry.change_yearlyresult",
        "models_registry.view_staffprofile",
        "models_registry.add_staffprofile",
        "models_registry.change_staffprofile",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
    ],
    SYSTEM_ADMIN: [
        *_READ_REGISTRY,
        # Units, editions and successions come from the national lists (manage.py load_units): read-only here.
        MANAGE_REFERENCE_DATA,
        "models_registry.add_organization",
        "models_registry.change_organization",
        "models_registry.import_organization",
        "models_registry.export_organization",
        "models_registry.add_field",
        "models_registry.change_field",
        "models_registry.view_staffprofile",
        "models_registry.add_staffprofile",
        "models_registry.change_staffprofile",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
    ],
}


# Permissions that no model's Meta declares ("app_label.codename", model, name).
EXTRA_PERMISSIONS = [
    (MANAGE_REFERENCE_DATA, "administrativeunit", "Can manage reference data"),
    ("models_registry.import_organization", "organization", "Can import organisations"),
    ("models_registry.export_organization", "organization", "Can export organisations"),
    ("models_registry.export_yearlyresult", "yearlyresult", "Can export yearly results"),
]


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
