from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("Public site and staff area")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .security import on_logged_in

        user_logged_in.connect(on_logged_in, dispatch_uid="portal.security.on_logged_in")
