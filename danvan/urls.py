from django.conf import settings
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

if settings.DANVAN_BENCH_FLOOR:
    # `make bench` only: a trivial page and a cache flush (danvan.bench). Absent from every normal deployment.
    urlpatterns.insert(0, path("_bench/", include(("danvan.bench", "bench"))))
