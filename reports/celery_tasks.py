"""The Celery task that builds a report, for deployments that run a worker (REPORTS_BACKGROUND = "celery").

Celery is optional: without it installed this module still imports, and `build_report.delay` runs the job in a
thread of the calling process instead.
"""

from __future__ import annotations

import threading

try:
    from celery import shared_task
except ImportError:  # celery not installed: the same call, in a thread
    shared_task = None


def _build(pk: int) -> None:
    from .jobs import run

    run(pk)


if shared_task is not None:
    build_report = shared_task(name="reports.build_report", ignore_result=True)(_build)
else:
    class _ThreadTask:
        @staticmethod
        def delay(pk: int) -> None:
            from .jobs import _run_in_thread

            threading.Thread(target=_run_in_thread, args=(pk,), daemon=True).start()

    build_report = _ThreadTask()
