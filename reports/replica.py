"""Reports read from a read replica where one is configured.

With `DANVAN_REPORTS_DATABASE_URL` set (a streaming replica of the primary), the workbook, the statistics and
`export_report` read their figures there, so that a country's report never loads the database the reviewers
write to. Only the reading of figures is sent there (`reading_for_reports()` around it): the jobs' own rows,
sessions and everything written stay on the primary, so a replica that lags a few seconds behind shows figures
a few seconds old, never a missing job.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "reports"
_reading = ContextVar("reading_for_reports", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_for_reports():
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReportsReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None  # a replica follows its primary; it is never migrated itself
