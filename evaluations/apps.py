from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluations"
    verbose_name = _("Evaluation conferences")

    def ready(self):
        from . import services, tasks  # noqa: F401 - register the audit log's labels and the admin's tasks
