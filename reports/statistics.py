"""What the statistics page shows: the query layer's figures as tables and chart data (nothing computed here)."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from models_registry.public_cache import public_cache_key

from . import selectors
from .replica import reading_for_reports
from .selectors import ReportQuery, scope_key

# The figures change with what the public catalogue's version follows (acceptances, first submissions, yearly
# results, closed conferences, commendations); the time limit catches the rarer edits it does not (a model
# moved to another field).
CACHE_SECONDS = 10 * 60


def _chart(rows, attribute: str) -> dict:
    return {"labels": [row.label for row in rows], "values": [getattr(row.figures, attribute) for row in rows]}


def cached_page_data(query: ReportQuery) -> dict:
    """`page_data`, computed once per question and version of the figures: a country's or a large province's
    statistics read every table of the year."""
    key = public_cache_key("report-statistics", scope_key(query.scope), query.year_from, query.year_to, query.map,
                           translation.get_language())
    data = cache.get(key)
    if data is None:
        with reading_for_reports():
            data = page_data(query)
        cache.set(key, data, CACHE_SECONDS)
    return data


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
