from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evaluations"
    verbose_name = _("Evaluation conferences")

    def ready(self):
        from . import (
            services,  # noqa: F401 - registers the audit log's action labels
            statistics,  # noqa: F401 - registers the home page's headline figure
        )
