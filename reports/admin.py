"""The reports app in the admin: the "Nhập dữ liệu" pages (reports/importing/views.py), at /admin/nhap-du-lieu/.

They belong to no single model, so they are added to the admin site's own addresses, behind its log-in and
staff check (`admin_view`); each page checks the import's permissions itself.
"""

from django.contrib import admin
from django.urls import path

from .importing import views as import_views

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
