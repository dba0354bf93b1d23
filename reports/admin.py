"""The reports app in the admin: each person's report workbooks (a new one is asked for on the report form,
linked from the list), and the "Nhập dữ liệu" pages (reports/importing/views.py) at /admin/nhap-du-lieu/.

The import pages belong to no single model, so they are added to the admin site's own addresses, behind its
log-in and staff check (`admin_view`); each page checks the import's permissions itself.
"""

from django.contrib import admin
from django.http import Http404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import policies
from .importing import views as import_views
from .models import JobStatus, ReportJob

_site_urls = admin.site.get_urls


def _get_urls():
    return [
        path("nhap-du-lieu/", admin.site.admin_view(import_views.import_index), name="reports_import_index"),
        path("nhap-du-lieu/<slug:key>/", admin.site.admin_view(import_views.import_page), name="reports_import"),
        path("nhap-du-lieu/<slug:key>/mau.xlsx", admin.site.admin_view(import_views.import_template),
             name="reports_import_template"),
        *_site_urls(),
    ]


admin.site.get_urls = _get_urls


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ("__str__", "map", "status", "progress", "created_at", "download")
    list_filter = ("status",)
    list_select_related = ("scope",)
    show_full_result_count = False
    change_list_template = "admin/reports/reportjob/change_list.html"
    fields = ("unit", "year_from", "year_to", "map", "status", "progress", "created_at", "finished_at", "download")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).owned_by(request.user)

    @admin.display(description=_("unit"))
    def unit(self, job):
        return job.scope_name

    def has_module_permission(self, request):
        return policies.can_export(request.user)

    def has_view_permission(self, request, obj=None):
        return policies.can_export(request.user) and (obj is None or obj.user_id == request.user.pk)

    def has_add_permission(self, request):
        return False  # the report form (linked from the list) asks the question

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404  # another person's workbook: as if it did not exist
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("file"))
    def download(self, job):
        if job.status != JobStatus.DONE:
            return "–"
        return format_html('<a href="{}">{}</a>', reverse("reports:job_download", args=[job.pk]), _("Download"))
