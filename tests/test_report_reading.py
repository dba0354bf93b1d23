"""A workbook's list of initiatives is read by a thread of its own on PostgreSQL while the rows already read are
written (reports.reading): the same rows in the same order as read in place, the reading stopped and its
connection closed when the writing stops, a failure of the query raised where the rows are written."""

import threading
from io import BytesIO

import pytest
from django.db import DataError, connection, transaction
from django.utils import translation
from openpyxl import load_workbook

from models_registry.models import Initiative
from reports import reading, selectors
from reports.reading import ReadingAhead
from reports.selectors import ReportQuery
from reports.workbook import build_workbook

from . import report_dataset
from .factories import unit

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="a second connection reads committed rows on PostgreSQL only")


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of two rows and a queue of one batch: the reading waits for the writing, as for a country."""
    monkeypatch.setattr(reading, "BATCH", 2)
    monkeypatch.setattr(reading, "DEPTH", 1)


def body():
    from .factories import OrganizationFactory

    return OrganizationFactory(unit=unit("Xã Minh Long"))


def reading_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "report-rows"]


def connections_to_this_database() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def sheets_of(out: BytesIO) -> dict[str, list[tuple]]:
    book = load_workbook(BytesIO(out.getvalue()))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def provincial_workbook(year_from: int, year_to: int) -> dict[str, list[tuple]]:
    out = BytesIO()
    with translation.override("vi"):
        build_workbook(ReportQuery(unit("Tỉnh Quảng Ngãi"), year_from, year_to), out)
    return sheets_of(out)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_list_read_ahead_is_the_list_read_in_place(provincial_board, district_reviewer, small_batches):
    report_dataset.build(provincial_board, district_reviewer)
    query = ReportQuery(unit("Tỉnh Quảng Ngãi"), 2024, 2025)
    in_place = list(selectors.initiative_rows(query))
    assert len(in_place) > 2 * reading.BATCH  # several batches, the queue full while the first is written
    with ReadingAhead(selectors.initiative_list(query), chunk_size=2) as rows:
        read = iter(rows)
        first = next(read)
        assert reading_threads()  # read by a thread, not in place
        ahead = [first, *read]
    assert ahead == in_place
    assert not reading_threads()

    read_ahead = provincial_workbook(2024, 2025)
    with transaction.atomic():  # inside a transaction everything is read in place
        assert not reading.can_read_ahead("default")
        assert provincial_workbook(2024, 2025) == read_ahead


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_when_the_writing_stops_the_reading_stops_and_closes_its_connection(units, small_batches):
    from .factories import InitiativeFactory

    InitiativeFactory.create_batch(12, organization=body())
    before = connections_to_this_database()
    with pytest.raises(RuntimeError), ReadingAhead(Initiative.unscoped.order_by("pk").values("pk"),
                                                   chunk_size=2) as rows:
        for _row in rows:
            raise RuntimeError("the disk is full")
    assert not reading_threads()
    assert connections_to_this_database() == before


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_failing_query_fails_where_the_rows_are_written(units):
    from .factories import InitiativeFactory

    InitiativeFactory(organization=body())
    failing = Initiative.unscoped.extra(where=["1 / (id - id) = 1"]).values("pk")  # division by zero
    with pytest.raises(DataError), ReadingAhead(failing, chunk_size=2) as rows:
        list(rows)
    assert not reading_threads()


def test_inside_a_transaction_the_rows_are_read_in_place_and_include_what_it_has_not_committed(units):
    from .factories import InitiativeFactory

    made = InitiativeFactory.create_batch(3, organization=body())
    with ReadingAhead(Initiative.unscoped.order_by("pk").values_list("pk", flat=True), chunk_size=2) as rows:
        assert list(rows) == [initiative.pk for initiative in made]
        assert not reading_threads()
