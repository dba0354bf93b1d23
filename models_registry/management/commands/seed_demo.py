import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils import translation
from django.utils.translation import gettext as _

from models_registry.demo import (
    SeedError,
    national_shares,
    province_has_initiatives,
    refresh_planner_statistics,
    seed_demo,
)
from models_registry.formatting import thousands
from models_registry.models import AdministrativeUnit, InitiativeStatus, UnitLevel
from models_registry.statistics import headline_figures, refresh_tallies


def province_name(code: str) -> str:
    province = AdministrativeUnit.objects.current().filter(code=code, level=UnitLevel.PROVINCE).first()
    return province.name if province else code


def seed_province(code: str, count: int, seed: int | None, if_empty: bool, progress=None) -> list[str]:
    """Seed one province; the lines that tell the operator what was done (in the active language)."""
    started = time.monotonic()
    if if_empty and province_has_initiatives(code):
        return [_("Demo data: %(province)s already has models, nothing to do.") % {"province": province_name(code)}]
    report = seed_demo(province_code=code, initiatives=count, seed=seed, progress=progress)
    summary = _("Demo data for %(province)s: %(organizations)s new organisations, %(initiatives)s models "
                "(%(drafts)s of them drafts), %(results)s yearly results, %(transitions)s status changes, "
                "in %(seconds)s s.") % {
        "province": province_name(code), "organizations": thousands(report.organizations),
        "initiatives": thousands(report.initiatives),
        "drafts": thousands(report.by_status.get(InitiativeStatus.DRAFT, 0)),
        "results": thousands(report.yearly_results), "transitions": thousands(report.transitions),
        "seconds": f"{time.monotonic() - started:.1f}".replace(".", ","),
    }
    return [summary, *("  " + line for line in report.more)]


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
        parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                            help="With --province all on PostgreSQL: how many provinces are seeded at once, each "
                                 "in a process of its own (default: %(default)s).")

    def handle(self, *args, province, initiatives, seed, if_empty, jobs, **options):
        with translation.override(settings.LANGUAGE_CODE):  # the operator reads Vietnamese
            self.seed(province, initiatives, seed, if_empty, jobs)
            refresh_planner_statistics()  # once, after every province: it reads the whole tables
            refresh_tallies()  # the bulk inserts passed by the services and signals that keep them
            # The figures of the home page, under the home page's names: what the operator will see there.
            figures = ", ".join(headline_figures().described())
            self.stdout.write("  " + _("Home page: %(figures)s.") % {"figures": figures})

    def seed(self, province, initiatives, seed, if_empty, jobs):
        shares = [(province, initiatives)]
        if province == "all":
            shares = national_shares(initiatives)
            if not shares:
                raise CommandError(_("No province is loaded: run `manage.py load_units` first."))
        # Every province has its own seed, so the data is the same however many are seeded at once.
        work = [(code, count, None if seed is None else seed + index, if_empty)
                for index, (code, count) in enumerate(shares)]
        try:
            # Other processes see only what is committed: not from inside a transaction (a test's).
            if jobs > 1 and len(work) > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
                self.seed_in_parallel(work, jobs)
            else:
                for item in work:
                    self.say(seed_province(*item, progress=self.progress))
        except SeedError as exc:
            raise CommandError(
                _("Province %(code)s is not loaded on today's map: run `manage.py load_units` first.")
                % {"code": exc}
            ) from exc

    def seed_in_parallel(self, work, jobs):
        """The provinces are independent (their own organisations, codes and conferences): on two cores one
        process builds rows while PostgreSQL writes another's."""
        connections.close_all()  # each process opens its own
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for lines in pool.map(_seed_province_in_worker, work):
                self.say(lines)

    def say(self, lines):
        self.stdout.write(self.style.SUCCESS(lines[0]))
        for line in lines[1:]:
            self.stdout.write(line)

    def progress(self, done, total):
        if total >= 20000:
            self.stdout.write("  " + _("%(done)s of %(total)s models") % {"done": thousands(done),
                                                                           "total": thousands(total)})


def _seed_province_in_worker(item) -> list[str]:
    with translation.override(settings.LANGUAGE_CODE):
        try:
            with connection.cursor() as cursor:
                # Demo rows on a connection of its own: a crash would lose the last commits, never consistency,
                # and the commits no longer wait for the disk.
                cursor.execute("SET synchronous_commit TO OFF")
            return seed_province(*item)
        finally:
            connections.close_all()
