"""What must never be stored is refused by the database itself, whatever code path writes it."""

import pytest
from django.db import IntegrityError, transaction

from models_registry.models import (
    AdministrativeUnit,
    Initiative,
    InitiativeKind,
    InitiativeOrigin,
    Lifecycle,
    UnitLevel,
    UnitSuccession,
    UnitType,
    YearlyResult,
)

from .factories import InitiativeFactory, YearlyResultFactory, unit


def refused(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_unit_code_is_unique_within_an_edition_but_not_across_editions(units):
    province = unit("Tỉnh Quảng Ngãi")
    refused(lambda: AdministrativeUnit.objects.create(
        edition_id="2025", code=province.code, name="Trùng mã", level=UnitLevel.PROVINCE, unit_type=UnitType.PROVINCE,
    ))
    assert AdministrativeUnit.objects.filter(code="51").count() == 2


def test_one_yearly_result_per_initiative_and_year(units):
    result = YearlyResultFactory(year=2023)
    refused(lambda: YearlyResult.objects.create(initiative=result.initiative, year=2023))
    YearlyResult.objects.create(initiative=result.initiative, year=2024)


@pytest.mark.parametrize("field", ["value_mobilised", "land_donated_m2"])
def test_yearly_amounts_cannot_be_negative(units, field):
    result = YearlyResultFactory()
    refused(lambda: YearlyResult.objects.filter(pk=result.pk).update(**{field: -1}))


def test_budget_cannot_be_negative(units):
    initiative = InitiativeFactory()
    refused(lambda: Initiative.objects.filter(pk=initiative.pk).update(budget_amount=-500_000))


def test_replicated_initiative_must_name_its_source(units):
    refused(lambda: InitiativeFactory(origin=InitiativeOrigin.REPLICATED, replicated_from=None))


def test_new_initiative_cannot_name_a_source(units):
    source = InitiativeFactory()
    refused(lambda: InitiativeFactory(origin=InitiativeOrigin.NEW, replicated_from=source))
    replica = InitiativeFactory(origin=InitiativeOrigin.REPLICATED, replicated_from=source)
    assert list(source.replications.all()) == [replica]


def test_exemplar_must_name_the_person(units):
    refused(lambda: InitiativeFactory(kind=InitiativeKind.INDIVIDUAL, person_name=""))
    InitiativeFactory(kind=InitiativeKind.INDIVIDUAL, person_name="Đinh Văn Hùng")


def test_discontinued_initiative_must_say_the_year(units):
    initiative = InitiativeFactory()
    refused(lambda: Initiative.objects.filter(pk=initiative.pk).update(lifecycle=Lifecycle.DISCONTINUED))


def test_initiative_cannot_end_before_it_starts(units):
    import datetime

    refused(lambda: InitiativeFactory(start_date=datetime.date(2024, 5, 1), end_date=datetime.date(2023, 1, 1)))


def test_initiative_codes_are_unique(units):
    first = InitiativeFactory()
    refused(lambda: InitiativeFactory(code=first.code))


def test_an_old_unit_has_at_most_one_default_successor(units):
    tra_bui = AdministrativeUnit.objects.get(edition_id="pre2025", name="Xã Trà Bùi")
    refused(lambda: UnitSuccession.objects.filter(predecessor=tra_bui).update(is_default=True))


def test_organisation_in_use_cannot_be_deleted(units):
    from django.db.models import ProtectedError

    initiative = InitiativeFactory()
    with pytest.raises(ProtectedError):
        initiative.organization.delete()
