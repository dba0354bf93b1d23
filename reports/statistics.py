"""What the statistics page shows: the query layer's figures as tables and chart data (nothing computed here)."""

from __future__ import annotations

import datetime
import logging
import pickle
import threading

from django.core.cache import cache
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from models_registry.public_cache import public_cache_key, public_catalogue_version

from . import jobs, selectors
from .models import StatisticsSnapshot
from .replica import reading_for_reports
from .selectors import ReportQuery, scope_key

logger = logging.getLogger(__name__)

# The figures change with what the public catalogue's version follows (acceptances, first submissions, yearly
# results, closed conferences, commendations); the time limit catches the rarer edits it does not (a model
# moved to another field).
CACHE_SECONDS = 10 * 60


def _chart(rows, attribute: str) -> dict:
    return {"labels": [row.label for row in rows], "values": [getattr(row.figures, attribute) for row in rows]}


def cached_page_data(query: ReportQuery) -> dict:
    """`page_data`, computed once per question and version of the figures: a country's or a large province's
    statistics read every table of the year.

    From the cache when it has them; otherwise from the question's last snapshot in the database, shown at once
    with the time it was computed and, when the figures have changed since, computed again in the background
    for the next visit (`updating` tells the page). Only a question never asked before is computed while the
    visitor waits (and every question when REPORTS_BACKGROUND is "sync", as in tests that want the new
    figures at once)."""
    question = ("report-statistics", scope_key(query.scope), query.year_from, query.year_to, query.map,
                translation.get_language())
    version = public_catalogue_version()
    key = public_cache_key(*question)
    data = cache.get(key)
    if data is not None:
        return data
    snapshot_key = _snapshot_key(question)
    snapshot = StatisticsSnapshot.objects.filter(key=snapshot_key).first()
    if snapshot is None or jobs.background() == jobs.SYNC:
        return _compute(query, snapshot_key, key, version)
    data = pickle.loads(snapshot.data)  # noqa: S301 – written by this module only, never from outside
    age = timezone.now() - snapshot.computed_at
    if snapshot.version == version and age < datetime.timedelta(seconds=CACHE_SECONDS):
        cache.set(key, data, CACHE_SECONDS)
        return data
    _compute_later(query, question)
    return {**data, "updating": True}


def _snapshot_key(question: tuple) -> str:
    return ":".join(str(part) for part in question)


def _compute(query: ReportQuery, snapshot_key: str, key: str, version: str) -> dict:
    with reading_for_reports():
        data = page_data(query)
    data["computed_at"] = timezone.now()
    try:
        StatisticsSnapshot.objects.update_or_create(key=snapshot_key, defaults={
            "version": version, "data": pickle.dumps(data), "computed_at": data["computed_at"]})
    except IntegrityError:  # another process stored the same question at the same moment
        pass
    cache.set(key, data, CACHE_SECONDS)
    return data


def _compute_later(query: ReportQuery, question: tuple) -> None:
    """Once at a time per question (a lock in the shared cache), in a thread of this process."""
    snapshot_key = _snapshot_key(question)
    lock = f"report-statistics-computing:{snapshot_key}"
    if not cache.add(lock, 1, CACHE_SECONDS):
        return
    language = translation.get_language()

    def compute():
        close_old_connections()
        try:
            with translation.override(language):
                # The version as the computation starts: figures read after it are at least that new.
                version = public_catalogue_version()
                _compute(query, snapshot_key, public_cache_key(*question), version)
        except Exception:
            logger.exception("Statistics %s could not be computed", snapshot_key)
        finally:
            cache.delete(lock)
            connection.close()  # the thread's own connection

    transaction.on_commit(lambda: start_computing(compute))


def start_computing(compute) -> None:
    threading.Thread(target=compute, daemon=True, name="report-statistics").start()


def page_data(query: ReportQuery) -> dict:
    ratings = selectors.ratings()
    fine = selectors.by_unit_and_field(query)
    fields = selectors.by_field(query, fine)
    localities = [row for row in selectors.by_locality(query, fine) if not row.figures.is_empty]
    total = selectors.total(fields)
    years = selectors.by_year(query, total)
    forms = selectors.commendations_by_form(query)
    return {
        "query": query, "ratings": ratings, "by_field": fields, "by_locality": localities, "by_year": years,
        "total": total, "rating_counts": [(rating, total.ratings.get(rating.pk, 0)) for rating in ratings],
        "commendation_forms": forms,
        "charts": {
            "field": _chart(fields, "registered"),
            "locality": _chart(localities, "registered"),
            "year": {"labels": [row.label for row in years],
                     "registered": [row.figures.registered for row in years],
                     "accepted": [row.figures.accepted for row in years]},
            "rating": {"labels": [rating.name for rating in ratings],
                       "values": [total.ratings.get(rating.pk, 0) for rating in ratings]},
            "value": _chart(fields, "value_mobilised"),
            "commendations": {"labels": [row.form for row in forms],
                              "collective": [row.collective for row in forms],
                              "individual": [row.individual for row in forms]},
        },
        "chart_labels": {"models": _("models"), "registered": _("registered"), "accepted": _("accepted"),
                         "value": _("value mobilised (VND)"), "collective": _("collectives"),
                         "individual": _("individuals")},
    }
