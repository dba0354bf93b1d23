"""The demo province reads like the real thing and is repeatable with a seed."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from models_registry.demo import seed_demo
from models_registry.models import (
    AdministrativeUnit,
    Initiative,
    InitiativeKind,
    InitiativeOrigin,
    InitiativeStatus,
    InitiativeTransition,
    Lifecycle,
    Organization,
    OrganizationCategory,
    YearlyResult,
)

from .factories import database_url, unit


def snapshot():
    return list(
        Initiative.objects.order_by("code").values_list(
            "code", "title", "status", "kind", "origin", "registration_year", "organization__name", "field__code",
            "budget_amount", "lifecycle",
        )
    ) + list(YearlyResult.objects.order_by("initiative__code", "year").values_list(
        "initiative__code", "year", "value_mobilised", "participants"))


def seeded_then_undone(seed: int) -> list[tuple]:
    """What a seed writes into the demo province, read and then rolled back, so the next seed starts afresh."""
    with transaction.atomic():
        seed_demo(province_code="51", initiatives=300, seed=seed)
        written = snapshot()
        transaction.set_rollback(True)
    assert not Initiative.objects.exists()
    return written


def test_same_seed_gives_the_same_data_and_another_seed_differs(units):
    first = seeded_then_undone(seed=7)
    assert first
    assert seeded_then_undone(seed=7) == first
    assert seeded_then_undone(seed=8) != first


def test_demo_covers_every_status_kind_origin_field_and_category(units):
    report = seed_demo(province_code="51", initiatives=600, seed=1)
    this_year = timezone.localdate().year
    initiatives = Initiative.objects.all()

    assert report.initiatives == initiatives.count() == 600
    assert set(initiatives.values_list("status", flat=True)) == set(InitiativeStatus.values)
    assert set(initiatives.values_list("kind", flat=True)) == set(InitiativeKind.values)
    assert set(initiatives.values_list("origin", flat=True)) == set(InitiativeOrigin.values)
    assert set(initiatives.values_list("lifecycle", flat=True)) == set(Lifecycle.values)
    standard = set(initiatives.filter(field__parent__isnull=True).values_list("field__code", flat=True))
    assert standard == {"kinh-te", "van-hoa-xa-hoi", "quoc-phong-an-ninh", "xay-dung-he-thong-chinh-tri"}
    assert initiatives.filter(field__parent__isnull=False).exists()
    assert set(Organization.objects.values_list("category", flat=True)) == set(OrganizationCategory.values)
    years = set(initiatives.values_list("registration_year", flat=True))
    assert min(years) == 2017 and max(years) == this_year

    # Registrations before the 2025 reform sit under old units, later ones under today's map.
    assert not initiatives.filter(registration_year__lt=2025).exclude(unit__edition_id="pre2025").exists()
    assert not initiatives.filter(registration_year__gte=2025).exclude(unit__edition_id="2025").exists()
    assert initiatives.filter(unit__edition_id="pre2025", unit__path__startswith="pre2025/62/").exists()

    replicated = initiatives.filter(origin=InitiativeOrigin.REPLICATED).select_related("replicated_from")
    assert all(r.replicated_from.registration_year <= r.registration_year for r in replicated)
    assert not initiatives.filter(kind=InitiativeKind.INDIVIDUAL, person_name="").exists()


def test_yearly_results_are_plausible_and_only_for_accepted_models(units):
    seed_demo(province_code="51", initiatives=200, seed=3)
    results = YearlyResult.objects.select_related("initiative")
    assert results.exists()
    for result in results:
        assert result.initiative.status == InitiativeStatus.ACCEPTED
        assert result.initiative.registration_year <= result.year <= timezone.localdate().year
        assert 0 < result.value_mobilised <= 5_000_000_000
        assert result.participants > 0


def test_history_tells_how_each_initiative_got_its_status(units):
    seed_demo(province_code="51", initiatives=150, seed=4)
    for initiative in Initiative.objects.prefetch_related("transitions")[:150]:
        steps = sorted(initiative.transitions.all(), key=lambda t: t.created_at)
        status_steps = [t for t in steps if t.to_status in InitiativeStatus.values]
        assert status_steps[0].to_status == InitiativeStatus.DRAFT
        assert status_steps[-1].to_status == initiative.status
        if initiative.status in (InitiativeStatus.RETURNED, InitiativeStatus.REJECTED):
            assert status_steps[-1].reason


def test_codes_continue_after_existing_ones_and_if_empty_skips(units, capsys):
    seed_demo(province_code="51", initiatives=50, seed=5)
    before = set(Initiative.objects.values_list("code", flat=True))
    call_command("seed_demo", "--if-empty")
    assert "đã có mô hình, giữ nguyên" in capsys.readouterr().out
    assert Initiative.objects.count() == 50
    call_command("seed_demo", "--initiatives", "20", "--seed", "5")
    codes = set(Initiative.objects.values_list("code", flat=True))
    assert len(codes) == 70 and before < codes


def test_national_shares_follow_the_communes_and_add_up(units):
    from models_registry.demo import national_shares

    shares = dict(national_shares(1001))
    assert set(shares) == {"51", "48"}  # the provinces loaded for the tests
    assert sum(shares.values()) == 1001
    assert shares["48"] > 0 and shares["51"] > 0


def test_seed_all_provinces(units):
    call_command("seed_demo", "--province", "all", "--initiatives", "60", "--seed", "2")
    per_province = {
        name: Initiative.objects.filter(unit__in=AdministrativeUnit.objects.subtree_of(unit(name))).count()
        for name in ("Tỉnh Quảng Ngãi", "Thành phố Đà Nẵng")
    }
    assert sum(per_province.values()) == Initiative.objects.count() == 60
    assert all(per_province.values())


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="several processes write at once on PostgreSQL only")
def test_seed_all_provinces_in_two_processes(units):
    """Run as an operator runs it: `manage.py seed_demo` in a process of its own (which forks its workers) on
    the test database, not inside the test runner's process and its threads."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    url = database_url(connection.settings_dict)
    done = subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--province", "all", "--initiatives", "80", "--seed", "2",
         "--jobs", "2"], cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True, timeout=600,
        env={**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Dữ liệu mẫu cho Tỉnh Quảng Ngãi" in done.stdout and "Dữ liệu mẫu cho Thành phố Đà Nẵng" in done.stdout
    assert "Trang chủ hiển thị:" in done.stdout
    for name in ("Tỉnh Quảng Ngãi", "Thành phố Đà Nẵng"):
        assert Initiative.unscoped.filter(province=unit(name)).exists()
    assert Initiative.unscoped.count() == 80
    assert InitiativeTransition.unscoped.filter(province__isnull=False).count() == InitiativeTransition.unscoped.count()
