import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from models_registry.demo import SeedError, national_shares, province_has_initiatives, seed_demo


class Command(BaseCommand):
    help = "Create realistic demo organisations, initiatives and yearly results for one province."

    def add_arguments(self, parser):
        parser.add_argument("--province", default=settings.DANVAN_DEFAULT_PROVINCE_CODE, metavar="CODE",
                            help="Province code on today's map (default: %(default)s, Quảng Ngãi), or 'all' "
                                 "for every province, the initiatives shared in proportion to their communes.")
        parser.add_argument("--initiatives", type=int, default=600, metavar="N",
                            help="How many initiatives to create (default: %(default)s).")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for repeatable data.")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when the province already has initiatives.")

    def handle(self, *args, province, initiatives, seed, if_empty, **options):
        shares = [(province, initiatives)]
        if province == "all":
            shares = national_shares(initiatives)
            if not shares:
                raise CommandError("No province is loaded: run `manage.py load_units` first.")
        started = time.monotonic()
        for index, (code, count) in enumerate(shares):
            if if_empty and province_has_initiatives(code):
                self.stdout.write(f"Province {code}: demo data already present, nothing to do.")
                continue
            province_seed = None if seed is None else seed + index
            try:
                report = seed_demo(province_code=code, initiatives=count, seed=province_seed,
                                   progress=self.progress)
            except SeedError as exc:
                raise CommandError(
                    f"Province {exc} is not loaded on today's map: run `manage.py load_units` first."
                ) from exc
            statuses = ", ".join(f"{status} {n}" for status, n in sorted(report.by_status.items()))
            self.stdout.write(self.style.SUCCESS(
                f"Seeded province {code}: {report.organizations} new organisations, {report.initiatives} "
                f"initiatives ({statuses}), {report.yearly_results} yearly results, "
                f"{report.transitions} status changes."
            ))
        self.stdout.write(f"Done in {time.monotonic() - started:.1f}s.")

    def progress(self, done, total):
        if total >= 20000:
            self.stdout.write(f"  {done:,}/{total:,} initiatives")
