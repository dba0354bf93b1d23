"""Whether the database was built by an older, incompatible set of migrations (the registry's migrations
were squashed into a clean initial set before any real data existed)."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.loader import MigrationLoader

OUR_APPS = ("models_registry", "evaluations", "awards")


def stale_migrations() -> list[str]:
    """Migrations recorded as applied that no longer exist on disk, for the portal's own apps."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations
                  if app in OUR_APPS and (app, name) not in loader.disk_migrations)
