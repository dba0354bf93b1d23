from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("quyet-dinh/<int:pk>/in/", views.decision_print, name="decision_print"),
]
