from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from models_registry.backups import BackupError, create_backup
from models_registry.formatting import thousands


class Command(BaseCommand):
    help = ("Back up the database (pg_dump's custom format on PostgreSQL, a consistent copy on SQLite) and the "
            "uploaded files into var/backups/<date-time>/, with a manifest.")

    def add_arguments(self, parser):
        parser.add_argument("--output", metavar="FOLDER", help="Folder to write (default: var/backups/<date-time>).")

    def handle(self, *args, output=None, **options):
        with translation.override(settings.LANGUAGE_CODE):  # the operator reads Vietnamese
            try:
                folder, manifest = create_backup(output)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(self.style.SUCCESS(
                _("Backup written to %(folder)s: %(rows)s rows in %(tables)s tables, %(files)s files.") % {
                    "folder": folder, "rows": thousands(sum(manifest["tables"].values())),
                    "tables": thousands(len(manifest["tables"])), "files": thousands(sum(manifest["files"].values())),
                }))
