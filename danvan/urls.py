from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("tai-khoan/", include("portal.auth_urls")),
    path("hoi-dong/", include("evaluations.urls")),
    path("khen-thuong/", include("awards.urls")),
    path("bao-cao/", include("reports.urls")),
    path("", include("portal.urls")),
]
