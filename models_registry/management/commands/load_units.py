from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from models_registry.formatting import thousands
from models_registry.units import load_units

LABELS = {
    "editions": gettext_lazy("editions"),
    "units": gettext_lazy("administrative units"),
    "successions": gettext_lazy("successions"),
    "counterparts": gettext_lazy("counterparts on the current map"),
}


class Command(BaseCommand):
    help = "Load both editions of Vietnam's administrative units and the old→new successions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--province", metavar="CODE",
            help="Only this province of today's map (e.g. 51) and the old provinces merged into it.",
        )

    def handle(self, *args, province=None, verbosity=1, **options):
        with translation.override(settings.LANGUAGE_CODE):  # the operator reads Vietnamese
            try:
                report = load_units(province)
            except ValueError as exc:
                raise CommandError(_("No province with code %(code)s on today's map.") % {"code": exc}) from exc
            if verbosity > 1:
                for key, label in LABELS.items():
                    self.stdout.write("  " + _("%(what)s: %(created)s created, %(updated)s updated, "
                                               "%(unchanged)s unchanged") % {
                        "what": label, "created": thousands(report.created.get(key, 0)),
                        "updated": thousands(report.updated.get(key, 0)),
                        "unchanged": thousands(report.unchanged.get(key, 0)),
                    })
            totals = {key: sum(counts.get(key, 0) for counts in (report.created, report.updated, report.unchanged))
                      for key in LABELS}
            figures = {"units": thousands(totals["units"]), "editions": thousands(totals["editions"]),
                       "successions": thousands(totals["successions"])}
            if report.changed:
                added = sum(report.created.get(key, 0) for key in ("editions", "units", "successions"))
                updated = sum(report.updated.get(key, 0) for key in ("editions", "units", "successions"))
                self.stdout.write(self.style.SUCCESS(
                    _("Administrative units loaded: %(units)s units in %(editions)s editions and %(successions)s "
                      "successions (%(added)s added, %(updated)s updated).")
                    % {**figures, "added": thousands(added), "updated": thousands(updated)}))
            else:
                self.stdout.write(self.style.SUCCESS(
                    _("Administrative units already up to date: %(units)s units in %(editions)s editions and "
                      "%(successions)s successions, nothing changed.") % figures))
