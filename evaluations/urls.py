from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.my_conferences, name="my_conferences"),
    path("<int:pk>/", views.conference_detail, name="conference"),
    path("<int:pk>/mo-cham/", views.conference_open, name="open_scoring"),
    path("<int:pk>/ket-thuc/", views.conference_close, name="close"),
    path("<int:pk>/mo-hinh/<int:nomination_pk>/", views.sheet, name="sheet"),
    path("<int:pk>/mo-hinh/<int:nomination_pk>/ket-qua/", views.result_decide, name="decide"),
    path("<int:pk>/mo-hinh/<int:nomination_pk>/tep/<int:attachment_pk>/", views.sheet_attachment,
         name="attachment"),
    path("<int:pk>/bien-ban/", views.minutes, name="minutes"),
    path("<int:pk>/bien-ban.xlsx", views.minutes_xlsx, name="minutes_xlsx"),
]
