import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from models_registry.demo import SeedError, province_has_initiatives, seed_demo


class Command(BaseCommand):
    help = "Create realistic demo organisations, initiatives and yearly results for one province."

    def add_arguments(self, parser):
        parser.add_argument("--province", default=settings.DANVAN_DEFAULT_PROVINCE_CODE, metavar="CODE",
                            help="Province code on today's map (default: %(default)s, Quảng Ngãi).")
        parser.add_argument("--initiatives", type=int, default=600, metavar="N",
                            help="How many initiatives to create (default: %(default)s).")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for repeatable data.")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when the province already has initiatives.")

    def handle(self, *args, province, initiatives, seed, if_empty, **options):
        if if_empty and province_has_initiatives(province):
            self.stdout.write("Demo data already present: nothing to do.")
            return
        started = time.monotonic()

        def progress(done, total):
            if total >= 20000:
                self.stdout.write(f"  {done:,}/{total:,} initiatives")

        try:
            report = seed_demo(province_code=province, initiatives=initiatives, seed=seed, progress=progress)
        except SeedError as exc:
            raise CommandError(
                f"Province {exc} is not loaded on today's map: run `manage.py load_units` first."
            ) from exc
        elapsed = time.monotonic() - started
        statuses = ", ".join(f"{status} {count}" for status, count in sorted(report.by_status.items()))
        self.stdout.write(self.style.SUCCESS(
            f"Seeded province {province} in {elapsed:.1f}s: {report.organizations} new organisations, "
            f"{report.initiatives} initiatives ({statuses}), {report.yearly_results} yearly results, "
            f"{report.transitions} status changes."
        ))
