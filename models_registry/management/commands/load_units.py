from django.core.management.base import BaseCommand, CommandError

from models_registry.units import load_units

LABELS = {
    "editions": "editions",
    "units": "administrative units",
    "successions": "successions",
    "counterparts": "counterparts on the current map",
}


class Command(BaseCommand):
    help = "Load both editions of Vietnam's administrative units and the old→new successions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", metavar="CODE",
            help="Only this province of today's map (e.g. 51) and the old provinces merged into it.",
        )

    def handle(self, *args, province=None, **options):
        try:
            report = load_units(province)
        except ValueError as exc:
            raise CommandError(f"No province with code {exc} on today's map.") from exc
        for key, label in LABELS.items():
            created, updated = report.created.get(key, 0), report.updated.get(key, 0)
            unchanged = report.unchanged.get(key, 0)
            self.stdout.write(f"{label}: {created} created, {updated} updated, {unchanged} unchanged")
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Administrative units loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Nothing changed: the administrative units were already up to date."))
