from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelsRegistryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "models_registry"
    verbose_name = _("Registry of models and exemplars")

    def ready(self):
        from . import public_cache

        public_cache.connect_signals()
