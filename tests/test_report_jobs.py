"""The workbook from the staff area and the admin: the form, jobs built now or in the background with their
progress, the download; a job and its file are their owner's only; the statistics page."""

import threading
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from openpyxl import load_workbook

from models_registry import roles
from reports import jobs
from reports import workbook as report_workbook
from reports.models import JobStatus, ReportJob
from reports.selectors import WholeCountry

from . import report_dataset
from .factories import persona, unit


@pytest.fixture(autouse=True)
def report_storage(tmp_path, monkeypatch, settings):
    monkeypatch.setattr(ReportJob._meta.get_field("file"), "storage",
                        FileSystemStorage(location=tmp_path / "private", base_url=None))
    settings.REPORTS_BACKGROUND = "thread"
    settings.REPORTS_INLINE_MAX_ROWS = 3000


@pytest.fixture
def dataset(provincial_board, district_reviewer):
    return report_dataset.build(provincial_board, district_reviewer)


@pytest.fixture
def colleague(units):
    """Another member of the same provincial board: same scope, but not the owner of anyone else's workbook."""
    return persona(role=roles.PROVINCIAL_BOARD, unit_obj=unit("Tỉnh Quảng Ngãi"), username="ban_tinh_2")


class InlineThread:
    """Stands for threading.Thread: runs the target when started (the test database is not shared with threads)."""

    started = []

    def __init__(self, target, args=(), **kwargs):
        self.target, self.args = target, args

    def start(self):
        InlineThread.started.append(self.args)
        jobs.run(*self.args)


def post_report(client, user, **values):
    client.force_login(user)
    data = {"scope": unit("Tỉnh Quảng Ngãi").pk, "year_from": 2024, "year_to": 2025, "map": "current", **values}
    return client.post(reverse("reports:export"), data)


def test_a_small_workbook_is_built_at_once_and_downloaded(client, provincial_board, dataset):
    response = post_report(client, provincial_board)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:job_download", args=[job.pk])
    assert (job.user, job.status, job.progress, job.year_from, job.year_to) == (provincial_board, JobStatus.DONE,
                                                                                100, 2024, 2025)
    download = client.get(response["Location"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="bao-cao-dan-van-kheo-tinh-quang-ngai')
    book = load_workbook(BytesIO(b"".join(download.streaming_content)))
    assert len(book.sheetnames) == 6


def test_a_large_workbook_is_built_in_the_background_with_its_progress(client, provincial_board, dataset,
                                                                      settings, monkeypatch,
                                                                      django_capture_on_commit_callbacks):
    settings.REPORTS_INLINE_MAX_ROWS = 0
    monkeypatch.setattr(jobs.threading, "Thread", InlineThread)
    monkeypatch.setattr(report_workbook, "PROGRESS_EVERY", 1)
    seen = []
    record = jobs._record_progress
    monkeypatch.setattr(jobs, "_record_progress", lambda pk, done, total: (
        record(pk, done, total), seen.append(ReportJob.objects.get(pk=pk).progress)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_report(client, provincial_board)
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200 and "đang chờ" in page.content.decode()
    status = client.get(reverse("reports:job_status", args=[job.pk])).json()
    assert status["status"] == "pending" and status["download_url"] is None and status["finished"] is False

    for callback in callbacks:  # the commit: the thread starts
        callback()
    assert InlineThread.started[-1] == (job.pk,)
    assert seen == sorted(seen) and len(seen) > 5 and seen[0] < 50 <= seen[-1] < 100  # progress moved up
    status = client.get(reverse("reports:job_status", args=[job.pk])).json()
    assert status["status"] == "done" and status["progress"] == 100 and status["finished"]
    assert status["download_url"] == reverse("reports:job_download", args=[job.pk])
    assert client.get(status["download_url"]).status_code == 200


def test_a_failed_build_says_so_and_keeps_the_reason(client, provincial_board, dataset, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(jobs, "build_workbook", broken)
    response = post_report(client, provincial_board)
    job = ReportJob.objects.get()
    assert job.status == JobStatus.FAILED and job.error == "RuntimeError: disk full"
    page = client.get(response["Location"]).content.decode()
    assert "Không tạo được tệp báo cáo" in page
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 404


def test_a_job_and_its_file_are_seen_by_their_owner_only(client, provincial_board, colleague, admin_user, dataset):
    post_report(client, provincial_board)
    job = ReportJob.objects.get()
    for other in (colleague, admin_user):
        client.force_login(other)
        for name in ("reports:job", "reports:job_status", "reports:job_download"):
            assert client.get(reverse(name, args=[job.pk])).status_code == 404, (other, name)
        assert client.get(reverse("admin:reports_reportjob_change", args=[job.pk])).status_code == 404
        changelist = client.get(reverse("admin:reports_reportjob_changelist")).content.decode()
        assert reverse("reports:job_download", args=[job.pk]) not in changelist
    client.force_login(provincial_board)
    changelist = client.get(reverse("admin:reports_reportjob_changelist")).content.decode()
    assert reverse("reports:job_download", args=[job.pk]) in changelist
    assert reverse("reports:export") in changelist  # a new workbook is asked for on the report form


def test_the_report_pages_need_the_report_permission(client, unit_staff, other_province_staff):
    assert client.get(reverse("reports:export")).status_code == 302  # to the log-in
    for user in (unit_staff, other_province_staff):
        client.force_login(user)
        assert client.get(reverse("reports:export")).status_code == 403
        assert client.get(reverse("reports:statistics")).status_code == 403
        # Unit staff do not use the admin: its log-in page; others are refused.
        assert client.get(reverse("admin:reports_reportjob_changelist")).status_code in (302, 403)
        assert post_report(client, user).status_code == 403
    assert not ReportJob.objects.exists()


def test_only_units_of_the_persons_scope_are_offered(client, district_reviewer, provincial_board, units):
    client.force_login(district_reviewer)  # keeps the old Huyện Minh Long's records
    form = client.get(reverse("reports:export")).context["form"]
    offered = set(form.fields["scope"].queryset.values_list("name", flat=True))
    assert "Huyện Minh Long" in offered and "Tỉnh Quảng Ngãi" not in offered and "Phường Hải Châu" not in offered
    response = post_report(client, district_reviewer, scope=unit("Tỉnh Quảng Ngãi").pk)
    assert response.status_code == 200 and response.context["form"].errors["scope"]
    response = post_report(client, provincial_board, scope=unit("Phường Hải Châu").pk)
    assert response.status_code == 200 and response.context["form"].errors["scope"]
    assert not ReportJob.objects.exists()
    client.force_login(district_reviewer)
    page = client.get(reverse("reports:statistics"), {"scope": unit("Tỉnh Quảng Ngãi").pk, "year_from": 2024,
                                                      "map": "current"})
    assert page.status_code == 200 and "query" not in page.context


def test_the_statistics_page_shows_the_query_layers_figures(client, provincial_board, dataset):
    client.force_login(provincial_board)
    page = client.get(reverse("reports:statistics"), {"scope": unit("Tỉnh Quảng Ngãi").pk, "year_from": 2024,
                                                      "year_to": 2025, "map": "historical"})
    assert page.status_code == 200
    assert page.context["total"].registered == 7 and page.context["total"].value_mobilised == 380 * report_dataset.M
    html = page.content.decode()
    assert "380.000.000" in html and 'id="report-charts"' in html and "report-charts.js" in html
    assert "Huyện Minh Long (cũ)" in html  # the historical map
    # The download button asks for exactly this question.
    for name, value in (("year_from", "2024"), ("year_to", "2025"), ("map", "historical")):
        assert f'name="{name}" value="{value}"' in html


def test_the_menu_leads_to_statistics_which_open_on_the_persons_unit(client, provincial_board, unit_staff):
    client.force_login(provincial_board)
    home = client.get(reverse("portal:home")).content.decode()
    assert reverse("reports:statistics") in home
    page = client.get(reverse("reports:statistics")).content.decode()
    assert "Theo lĩnh vực" in page and "Tải các số liệu này" in page  # figures at once, no empty form
    client.force_login(unit_staff)
    assert reverse("reports:statistics") not in client.get(reverse("portal:home")).content.decode()


def test_the_whole_country_is_offered_to_those_who_see_everything_only(client, admin_user, provincial_board, dataset):
    client.force_login(admin_user)
    html = client.get(reverse("reports:export")).content.decode()
    assert '<option value="all" selected>Toàn quốc</option>' in html  # an administrator's scope is the country
    response = post_report(client, admin_user, scope="all", year_from=2025, year_to="")
    job = ReportJob.objects.get()
    assert job.scope is None and job.scope_name == "Toàn quốc" and job.status == JobStatus.DONE
    download = client.get(response["Location"])
    assert download["Content-Disposition"].startswith('attachment; filename="bao-cao-dan-van-kheo-toan-quoc-2025')
    book = load_workbook(BytesIO(b"".join(download.streaming_content)))
    codes = {row[1] for row in book["03 Danh sách mô hình"].iter_rows(values_only=True)}
    assert {"RPT-06", "RPT-09"} <= codes  # Quảng Ngãi's and Đà Nẵng's
    assert "Toàn quốc" in client.get(reverse("reports:job", args=[job.pk])).content.decode()
    page = client.get(reverse("reports:statistics"), {"scope": "all", "year_from": 2025, "map": "current"})
    assert page.context["total"].registered == 4 and 'name="scope" value="all"' in page.content.decode()

    # A provincial board sees its province only: the country is neither offered nor accepted.
    client.force_login(provincial_board)
    assert 'value="all"' not in client.get(reverse("reports:export")).content.decode()
    response = post_report(client, provincial_board, scope="all")
    assert response.status_code == 200 and response.context["form"].errors["scope"]
    page = client.get(reverse("reports:statistics"), {"scope": "all", "year_from": 2025, "map": "current"})
    assert page.status_code == 200 and "query" not in page.context
    assert ReportJob.objects.count() == 1
    with pytest.raises(PermissionDenied):
        jobs.request_report(user=provincial_board, query=jobs.ReportQuery(WholeCountry.today(), 2025, 2025))


def test_statistics_open_on_the_whole_country_for_an_administrator(client, admin_user, dataset):
    client.force_login(admin_user)
    page = client.get(reverse("reports:statistics"))
    query = page.context["query"]  # this year's figures of the whole country, at once
    assert query.scope.name == "Toàn quốc" and "Toàn quốc" in page.content.decode()


def test_only_a_persons_latest_workbooks_are_kept(client, provincial_board, colleague, dataset, settings):
    settings.REPORTS_KEPT_PER_PERSON = 2
    post_report(client, colleague)
    for year in (2023, 2024, 2025):
        post_report(client, provincial_board, year_from=year, year_to=year)
    kept = list(ReportJob.objects.filter(user=provincial_board).order_by("year_from"))
    assert [job.year_from for job in kept] == [2024, 2025]
    assert all(job.file.storage.exists(job.file.name) for job in kept)
    storage = ReportJob._meta.get_field("file").storage
    files = [name for name in storage.listdir(f"reports/{provincial_board.pk}")[1]]
    assert len(files) == 2  # the oldest file went with its job
    assert ReportJob.objects.filter(user=colleague).count() == 1  # nobody else's


def test_statistics_are_computed_once_until_the_figures_change(client, provincial_board, dataset, settings,
                                                                django_assert_max_num_queries,
                                                                django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from models_registry.public_cache import public_catalogue_changed

    settings.REPORTS_BACKGROUND = "sync"  # new figures at once
    cache.clear()
    client.force_login(provincial_board)
    question = {"scope": unit("Tỉnh Quảng Ngãi").pk, "year_from": 2025, "map": "current"}
    first = client.get(reverse("reports:statistics"), question)
    assert first.context["total"].registered == 3
    with django_assert_max_num_queries(12):  # the session, the person and the form's choices; no figure
        again = client.get(reverse("reports:statistics"), question)
    assert again.context["total"].registered == 3
    report_dataset._initiative(dataset["bodies"]["A"], 2025, "submitted", "kinh-te")
    with django_capture_on_commit_callbacks(execute=True):
        public_catalogue_changed()  # what a first submission does
    assert client.get(reverse("reports:statistics"), question).context["total"].registered == 4


@pytest.mark.django_db(transaction=True)  # the computation runs in a thread of its own, on committed figures
def test_statistics_show_the_last_figures_at_once_and_compute_new_ones_in_the_background(
        client, provincial_board, dataset, settings, monkeypatch, django_assert_max_num_queries,
        django_capture_on_commit_callbacks):
    """A country's statistics take seconds to compute: after the figures change, or after the cache is flushed,
    the page shows the last ones with the time they were computed, and the new ones are computed once, in the
    background, for the next visit."""
    from django.core.cache import cache

    from models_registry.public_cache import public_catalogue_changed
    from reports import statistics
    from reports.models import StatisticsSnapshot

    settings.REPORTS_BACKGROUND = "thread"
    started = []
    monkeypatch.setattr(statistics, "start_computing", started.append)  # run by hand below
    cache.clear()
    client.force_login(provincial_board)
    question = {"scope": unit("Tỉnh Quảng Ngãi").pk, "year_from": 2025, "map": "current"}
    first = client.get(reverse("reports:statistics"), question)  # never asked: computed now
    assert first.context["total"].registered == 3 and not started
    assert "Số liệu tính lúc" in first.content.decode()
    assert StatisticsSnapshot.objects.count() == 1

    report_dataset._initiative(dataset["bodies"]["A"], 2025, "submitted", "kinh-te")
    with django_capture_on_commit_callbacks(execute=True):
        public_catalogue_changed()
    with django_assert_max_num_queries(13), django_capture_on_commit_callbacks(execute=True):
        changed = client.get(reverse("reports:statistics"), question)  # the last figures, no figure computed
    assert changed.context["total"].registered == 3
    assert "đang được tính lại" in changed.content.decode()
    assert len(started) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reports:statistics"), question)
    assert len(started) == 1  # once at a time

    computing = threading.Thread(target=started[0])  # the background computation, as it is started
    computing.start()
    computing.join()
    after = client.get(reverse("reports:statistics"), question)
    assert after.context["total"].registered == 4
    assert "đang được tính lại" not in after.content.decode()

    cache.clear()  # a flushed cache: the snapshot answers at once
    with django_assert_max_num_queries(13), django_capture_on_commit_callbacks(execute=True):
        flushed = client.get(reverse("reports:statistics"), question)
    assert flushed.context["total"].registered == 4


def test_statistics_snapshots_are_not_a_way_around_the_scope(client, provincial_board, district_reviewer,
                                                              dataset, settings):
    settings.REPORTS_BACKGROUND = "thread"
    client.force_login(provincial_board)
    question = {"scope": unit("Tỉnh Quảng Ngãi").pk, "year_from": 2025, "map": "current"}
    assert client.get(reverse("reports:statistics"), question).context["total"].registered == 3
    client.force_login(district_reviewer)  # the province's snapshot exists, but not for this person
    page = client.get(reverse("reports:statistics"), question)
    assert page.status_code == 200 and "query" not in page.context and "total" not in page.context
