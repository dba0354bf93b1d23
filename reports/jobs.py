"""Building a workbook for a person, now or in the background, with its progress recorded.

A small workbook (up to `REPORTS_INLINE_MAX_ROWS` rows, default 3,000) is built while the request waits; a
larger one in the background while the page polls the job's progress. Where the background runs is the
`REPORTS_BACKGROUND` setting:
- "thread" (default): a thread of the web process — nothing to install; a job cut short by a restart is
  marked failed when its owner next looks at it;
- "celery": the task `reports.celery_tasks.build_report` on the broker of `CELERY_BROKER_URL` (install
  celery and run a worker: `celery -A danvan worker`); chosen by itself when CELERY_BROKER_URL is set and
  celery is installed;
- "sync": in the request itself (tests, or a deployment that prefers it).

A person keeps their latest `REPORTS_KEPT_PER_PERSON` finished workbooks (default 10); older ones are deleted
with their files when they ask for a new one.
"""

from __future__ import annotations

import datetime
import importlib.util
import logging
import tempfile
import threading

from django.conf import settings
from django.core.files import File
from django.db import close_old_connections, connection, transaction
from django.utils import timezone, translation

from . import policies
from .models import JobStatus, ReportJob
from .replica import reading_for_reports
from .selectors import ReportQuery, is_whole_country
from .workbook import build_workbook, estimated_rows, file_name

logger = logging.getLogger(__name__)

THREAD, CELERY, SYNC = "thread", "celery", "sync"
# A job that has not moved for this long was cut short (the process ended): it is shown as failed.
STALE_AFTER = datetime.timedelta(minutes=30)


def background() -> str:
    configured = getattr(settings, "REPORTS_BACKGROUND", None)
    if configured:
        return configured
    if getattr(settings, "CELERY_BROKER_URL", "") and importlib.util.find_spec("celery"):
        return CELERY
    return THREAD


def kept_per_person() -> int:
    return getattr(settings, "REPORTS_KEPT_PER_PERSON", 10)


def forget_old_jobs(user) -> int:
    """A person's finished workbooks beyond the most recent few are deleted with their files: a file holds a
    whole scope's records and is nobody's archive (the figures can be drawn again at any time)."""
    old = list(ReportJob.objects.owned_by(user).filter(status__in=[JobStatus.DONE, JobStatus.FAILED])
               .order_by("-created_at", "-pk")[kept_per_person():])
    for job in old:
        if job.file:
            job.file.delete(save=False)
        job.delete()
    return len(old)


def inline_limit() -> int:
    return getattr(settings, "REPORTS_INLINE_MAX_ROWS", 3000)


def query_of(job: ReportJob) -> ReportQuery:
    return ReportQuery(job.report_scope, job.year_from, job.year_to, job.map)


def request_report(*, user, query: ReportQuery) -> ReportJob:
    """Record the person's request and build it (now when small, otherwise in the background)."""
    if not policies.can_report_on(user, query.scope):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    total = estimated_rows(query)
    job = ReportJob.objects.create(user=user, scope=None if is_whole_country(query.scope) else query.scope,
                                   year_from=query.year_from, year_to=query.year_to,
                                   map=query.map, rows_total=total,
                                   language=translation.get_language() or settings.LANGUAGE_CODE)
    mode = background()
    if mode == SYNC or total <= inline_limit():
        run(job.pk)
    elif mode == CELERY:
        from .celery_tasks import build_report

        transaction.on_commit(lambda: build_report.delay(job.pk))
    else:
        transaction.on_commit(lambda: threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True,
                                                       name=f"report-{job.pk}").start())
    job.refresh_from_db()
    forget_old_jobs(user)
    return job


def _run_in_thread(pk: int) -> None:
    close_old_connections()
    try:
        run(pk)
    finally:
        connection.close()  # the thread's own connection


def _record_progress(pk: int, done: int, total: int) -> None:
    percent = min(99, int(done * 100 / total)) if total else 0
    ReportJob.objects.filter(pk=pk).update(progress=percent, rows_done=done, rows_total=max(total, done))


def run(pk: int) -> None:
    """Build the job's workbook into private storage; on failure keep the reason for the administrators."""
    job = ReportJob.objects.select_related("scope", "scope__edition").get(pk=pk)
    ReportJob.objects.filter(pk=pk).update(status=JobStatus.RUNNING)
    try:
        with translation.override(job.language), tempfile.TemporaryFile() as out:
            query = query_of(job)
            with reading_for_reports():  # the figures from the replica, the progress to the primary
                result = build_workbook(query, out, total=job.rows_total or None,
                                        progress=lambda done, total: _record_progress(pk, done, total))
            out.seek(0)
            job.file.save(file_name(query), File(out), save=False)
        ReportJob.objects.filter(pk=pk).update(status=JobStatus.DONE, progress=100, rows_done=result.rows,
                                               file=job.file.name, finished_at=timezone.now())
    except Exception as error:  # noqa: BLE001 — any failure ends the job with its reason recorded
        logger.exception("Report job %s failed", pk)
        ReportJob.objects.filter(pk=pk).update(status=JobStatus.FAILED, error=f"{type(error).__name__}: {error}",
                                               finished_at=timezone.now())


def refresh(job: ReportJob) -> ReportJob:
    """The job as it stands; one that stopped moving long ago (its process ended) is marked failed."""
    job.refresh_from_db()
    if not job.is_finished and job.created_at < timezone.now() - STALE_AFTER:
        ReportJob.objects.filter(pk=job.pk, status__in=[JobStatus.PENDING, JobStatus.RUNNING]).update(
            status=JobStatus.FAILED, error="stale", finished_at=timezone.now())
        job.refresh_from_db()
    return job
