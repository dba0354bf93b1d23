from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.export, name="export"),
    path("thong-ke/", views.statistics_page, name="statistics"),
    path("viec/<int:pk>/", views.job, name="job"),
    path("viec/<int:pk>/trang-thai.json", views.job_status, name="job_status"),
    path("viec/<int:pk>/tai-ve/", views.job_download, name="job_download"),
]
