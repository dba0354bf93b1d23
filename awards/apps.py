from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "awards"
    verbose_name = _("Commendations")

    def ready(self):
        # Registering: the audit log's labels, the admin's tasks, the home page's figure, the demo data.
        from . import demo, services, statistics, tasks  # noqa: F401
