from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelsRegistryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "models_registry"
    verbose_name = _("Registry of models and exemplars")

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from . import collation, public_cache, roles, statistics  # noqa: F401 - statistics registers figures
        from .roles import sync_roles_after_migrate

        roles.discover()  # every app's roles.py declares its roles and grants
        post_migrate.connect(sync_roles_after_migrate, sender=self, dispatch_uid="danvan-sync-roles")
        connection_created.connect(collation.register_sqlite_collation, dispatch_uid="vietnamese-collation")
        public_cache.connect_signals()
        statistics.connect_signals()
