from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelsRegistryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "models_registry"
    verbose_name = _("Registry of models and exemplars")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import collation, public_cache

        connection_created.connect(collation.register_sqlite_collation, dispatch_uid="vietnamese-collation")
        public_cache.connect_signals()
