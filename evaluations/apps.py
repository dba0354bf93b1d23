from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluations"
    verbose_name = _("Evaluation conferences")

    def ready(self):
        # Registering: the audit log's labels, the admin's tasks, the home page's figure, the demo data and
        # accounts.
        from . import demo, services, statistics, tasks  # noqa: F401
