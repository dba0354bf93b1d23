"""Vietnamese where Django's admin writes English that no catalogue reaches.

- Permission names are stored in English when the tables are created ("Can add initiative"): the group page
  shows them built from the model's Vietnamese name instead ("Được thêm mô hình, điển hình").
- The delete page lists the rows that only link an account to its groups or a group to its permissions as
  "User-group relationship: User_groups object (3)": they go with the account, and are left out of the list.
- The yes/no icons of lists and read-only fields have "True"/"False" as their text for screen readers.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from ..scoped_admin import ReadOnlyMixin

DEFAULT_ACTIONS = {
    "add": lambda name: gettext("Can add %(name)s") % {"name": name},
    "change": lambda name: gettext("Can change %(name)s") % {"name": name},
    "delete": lambda name: gettext("Can delete %(name)s") % {"name": name},
    "view": lambda name: gettext("Can view %(name)s") % {"name": name},
}


def permission_label(permission) -> str:
    """"Được thêm mô hình, điển hình" for Django's "Can add initiative"; our own permissions translated."""
    model = permission.content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is not None and model_name == model._meta.model_name and action in DEFAULT_ACTIONS:
        return DEFAULT_ACTIONS[action](model._meta.verbose_name)
    return gettext(permission.name)


class VietnamesePermissionsMixin:
    """Permission pickers labelled in Vietnamese."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions") and formfield is not None:
            formfield.label_from_instance = permission_label
        return formfield


def link_models():
    """Django's own many-to-many link tables (account–group, group–permission, account–permission)."""
    return [model for model in apps.get_models(include_auto_created=True) if model._meta.auto_created]


class LinkRowsHiddenOnDeleteMixin:
    """The delete page lists what a row takes with it, without the link rows Django names in English."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        models = link_models()
        plural_names = {str(capfirst(model._meta.verbose_name_plural)) for model in models}
        prefixes = tuple(f"{capfirst(model._meta.verbose_name)}: " for model in models)

        def keep(items):
            kept = []
            for item in items:
                if isinstance(item, list):
                    if sub := keep(item):
                        kept.append(sub)
                elif not str(item).startswith(prefixes):
                    kept.append(item)
            return kept

        counts = {name: count for name, count in counts.items() if str(capfirst(name)) not in plural_names}
        return keep(deleted), counts, perms_needed, protected


if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class VietnameseGroupAdmin(ReadOnlyMixin, LinkRowsHiddenOnDeleteMixin, VietnamesePermissionsMixin, GroupAdmin):
    """The roles, read-only: each app declares its roles' permissions and `migrate` keeps the groups in step
    (roles.py), so a change made here would be undone by the next migration."""

    fields = ("name", "permission_list")
    readonly_fields = fields

    @admin.display(description=_("permissions"))
    def permission_list(self, obj):
        labels = sorted(permission_label(permission) for permission in
                        obj.permissions.select_related("content_type"))
        return format_html_join("", "<div>{}</div>", ((label,) for label in labels)) or "—"


BOOLEAN_ICONS = {True: "yes", False: "no", None: "unknown"}


def boolean_icon(value):
    """Django's yes/no/unknown icon, with "Có", "Không" or "Chưa rõ" as its text."""
    text = {True: pgettext("boolean icon", "Yes"), False: pgettext("boolean icon", "No"),
            None: pgettext("boolean icon", "Unknown")}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{BOOLEAN_ICONS[value]}.svg"), text)


# Lists (admin_list.items_for_result) and read-only fields (admin.utils.display_for_field) both look the
# function up in this module when they render.
admin_list._boolean_icon = boolean_icon
