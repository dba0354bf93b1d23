"""The registry's admin, in Vietnamese, scoped to each person's area (DESIGN.md §2)."""

from types import MethodType

from django.conf import settings
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import people as people_service
from ..scoped_admin import labelled_autocomplete_view
from . import initiatives, people, registry, tasks, vietnamese  # noqa: F401 - registers admins and tasks

admin.site.site_header = format_lazy(_("{site} – administration"), site=settings.DANVAN_SITE_NAME)
admin.site.site_title = format_lazy(_("{site} – administration"), site=settings.DANVAN_SITE_NAME)
admin.site.index_title = _("Work area")
# The side menu would take a quarter of a laptop's width from the lists; the index and breadcrumbs lead.
admin.site.enable_nav_sidebar = False
# Pickers name what tells rows apart (a unit's parent), not only str(row).
admin.site.autocomplete_view = labelled_autocomplete_view


def _has_permission(site, request):
    # Staff status alone is not enough: an account whose role works in the portal (unit staff, council
    # members) stays out of the admin even if an older version of the portal made it staff.
    return people_service.uses_admin(request.user)


admin.site.has_permission = MethodType(_has_permission, admin.site)

# Authenticators are set up by their owner in the portal's account area; an administrator only resets one
# (the user list's action), so django-otp's own device lists are not offered.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
