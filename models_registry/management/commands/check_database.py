import shutil

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from models_registry.database import stale_migrations


class Command(BaseCommand):
    help = ("Before migrating: stop when the database was built by an older set of migrations. The embedded "
            "demo database (SQLite) is then moved aside, so that `make run` builds a new one.")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            stale = stale_migrations()
            if not stale:
                return
            name = settings.DATABASES["default"]["NAME"]
            if connection.vendor != "sqlite":
                raise CommandError(_("The database %(name)s was built by an older version of the portal "
                                     "(%(migrations)s). Create a new database, or restore one built by this "
                                     "version.") % {"name": name, "migrations": ", ".join(stale)})
            connection.close()
            kept = f"{name}.cu-{timezone.localtime():%Y%m%d-%H%M%S}"
            shutil.move(str(name), kept)
            self.stdout.write(_("The demo database was built by an older version of the portal: it is kept as "
                                "%(kept)s and a new one is built.") % {"kept": kept})
