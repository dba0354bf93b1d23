from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    # Public site
    path("", views.home, name="home"),
    path("danh-muc/", views.catalogue, name="catalogue"),
    path("danh-muc/du-lieu.csv", views.catalogue_csv, name="catalogue_csv"),
    path("danh-muc/du-lieu.json", views.catalogue_json, name="catalogue_json"),
    path("danh-muc/tim-kiem.json", views.catalogue_search_json, name="catalogue_search_json"),
    path("danh-muc/don-vi.json", views.catalogue_units_json, name="catalogue_units_json"),
    path("mo-hinh/<str:code>/", views.initiative_detail, name="initiative_detail"),
    # Staff area
    path("can-bo/mo-hinh/", views.staff_initiative_list, name="staff_list"),
    path("can-bo/mo-hinh/dang-ky/", views.staff_initiative_create, name="staff_create"),
    path("can-bo/mo-hinh/<int:pk>/", views.staff_initiative, name="staff_initiative"),
    path("can-bo/mo-hinh/<int:pk>/sua/", views.staff_initiative_edit, name="staff_edit"),
    path("can-bo/mo-hinh/<int:pk>/gui/", views.staff_initiative_submit, name="staff_submit"),
    path("can-bo/mo-hinh/<int:pk>/tep/", views.staff_attachment_upload, name="staff_attachment_upload"),
    path("can-bo/mo-hinh/<int:pk>/ket-qua/", views.staff_yearly_result, name="staff_yearly_result"),
    path("can-bo/tep/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("can-bo/tep/<int:pk>/xoa/", views.staff_attachment_delete, name="staff_attachment_delete"),
]
