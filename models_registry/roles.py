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

# "app_label.codename" per role; the groups are created and kept in step by a data migration.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    UNIT_STAFF: [
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
    ],
    PROVINCIAL_BOARD: [
        *_READ_REGISTRY,
        "models_registry.review_initiative",
        "models_registry.decide_any_in_scope",
        "models_registry.change_initiative",
        "models_registry.import_initiative",
        "models_registry.export_initiative",
        "models_registry.add_organization",
        "models_registry.change_organization",
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
        "models_registry.add_administrativeunit",
        "models_registry.change_administrativeunit",
        "models_registry.add_unitsuccession",
        "models_registry.change_unitsuccession",
        "models_registry.add_organization",
        "models_registry.change_organization",
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
