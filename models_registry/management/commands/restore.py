from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from models_registry.backups import BackupError, restore_backup
from models_registry.formatting import thousands


class Command(BaseCommand):
    help = ("Restore a backup made by `manage.py backup` into the configured database and files folders. A "
            "database that holds accounts, units or models is never overwritten without --force.")

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup's folder, e.g. var/backups/20260115-103000.")
        parser.add_argument("--force", action="store_true",
                            help="Overwrite a database that holds data; files folders that hold files are kept "
                                 "aside, renamed.")
        parser.add_argument("--database-url", metavar="URL",
                            help="Restore into this database instead of the configured one (same engine).")
        parser.add_argument("--files-root", metavar="FOLDER",
                            help="Restore the files into FOLDER/private and FOLDER/media instead of the "
                                 "configured folders.")

    def handle(self, *args, folder, force, database_url, files_root, **options):
        with translation.override(settings.LANGUAGE_CODE):  # the operator reads Vietnamese
            try:
                report = restore_backup(folder, database_url=database_url, files_root=files_root, force=force)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            for aside in report.kept_aside:
                self.stdout.write(_("The files that were there are kept in %(folder)s.") % {"folder": aside})
            self.stdout.write(self.style.SUCCESS(
                _("Restored into %(database)s: %(rows)s rows in %(tables)s tables (as in the backup), "
                  "%(files)s files. If this version of the portal is newer, run manage.py migrate.") % {
                    "database": report.database, "rows": thousands(report.rows),
                    "tables": thousands(report.tables), "files": thousands(report.files),
                }))
