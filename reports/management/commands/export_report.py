import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from models_registry.formatting import thousands
from models_registry.models import AdministrativeUnit, UnitEdition
from reports.headings import heading_for
from reports.replica import reading_for_reports
from reports.selectors import CURRENT, MAPS, WHOLE_COUNTRY, ReportQuery, WholeCountry
from reports.workbook import build_workbook


class Command(BaseCommand):
    help = "Write the yearly workbook (six sheets) of a unit for a year or a range of years."

    def add_arguments(self, parser):
        parser.add_argument("--scope", required=True, metavar="CODE",
                            help="The unit's code (e.g. 51), or 'all' for the whole country.")
        parser.add_argument("--edition", metavar="EDITION",
                            help="The edition the code belongs to (default: today's map), e.g. pre2025.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--to-year", type=int, help="The last year of a range (default: --year).")
        parser.add_argument("--map", choices=MAPS, default=CURRENT,
                            help="current: rolled up to today's map; historical: units as they were.")
        parser.add_argument("--number", default="", help="The report's number (default: left blank).")
        parser.add_argument("--out", required=True, metavar="FILE.xlsx")

    def handle(self, *args, scope, edition, year, to_year, map, number, out, **options):
        with translation.override(settings.LANGUAGE_CODE):  # the operator reads Vietnamese
            edition = edition or getattr(UnitEdition.current(), "code", None)
            if scope == WHOLE_COUNTRY:
                unit = WholeCountry.today()
            else:
                unit = (AdministrativeUnit.objects.filter(edition_id=edition, code=scope)
                        .select_related("edition").first())
            if unit is None:
                raise CommandError(_("No unit with code %(code)s in the edition %(edition)s.") % {
                    "code": scope, "edition": edition})
            to_year = to_year or year
            if to_year < year:
                raise CommandError(_("The last year comes before the first."))
            query = ReportQuery(unit, year, to_year, map)
            started = time.monotonic()
            with reading_for_reports():
                result = build_workbook(query, out, heading=heading_for(unit, number=number))
            self.stdout.write(self.style.SUCCESS(
                _("Report of %(unit)s for %(years)s written to %(file)s: %(rows)s rows in 6 sheets, "
                  "%(seconds)s seconds.") % {
                    "unit": unit.name, "years": query.years_label, "file": out, "rows": thousands(result.rows),
                    "seconds": f"{time.monotonic() - started:.1f}".replace(".", ",")}))
