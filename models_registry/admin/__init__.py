"""The registry's admin, in Vietnamese, scoped to each person's area (DESIGN.md §2)."""

from django.conf import settings
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from ..scoped_admin import labelled_autocomplete_view
from . import initiatives, people, registry, tasks, vietnamese  # noqa: F401 - registers admins and tasks

admin.site.site_header = format_lazy(_("{site} – administration"), site=settings.DANVAN_SITE_NAME)
admin.site.site_title = format_lazy(_("{site} – administration"), site=settings.DANVAN_SITE_NAME)
admin.site.index_title = _("Work area")
# The side menu would take a quarter of a laptop's width from the lists; the index and breadcrumbs lead.
admin.site.enable_nav_sidebar = False
# Pickers name what tells rows apart (a unit's parent), not only str(row).
admin.site.autocomplete_view = labelled_autocomplete_view
