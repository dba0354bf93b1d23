"""Conditions written the way PostgreSQL's planner reads best, with the portable form on other databases."""

from __future__ import annotations

from django.db import connections
from django.db.models import BooleanField, F, Func, Q, Subquery


class AmongResultsOf(Func):
    """`column = ANY(ARRAY(subquery))` (PostgreSQL): the subquery runs first, once, and its values become a
    condition on the column's index. The same rows as `column__in=subquery`, but never a join for the planner to
    place among a list's many, nor an estimate of the subquery's size taken from its text (a commune's units
    guessed at 19 made the planner walk a country's yearly results by year to find a page of 4 units' rows)."""

    arg_joiner = " = ANY(ARRAY"
    template = "(%(expressions)s))"
    output_field = BooleanField()


def among(alias: str, column: str, subquery) -> Q:
    """Rows whose `column` (a lookup: "pk", "unit", "initiative__unit") is among the subquery's values."""
    if connections[alias].vendor == "postgresql":
        return Q(AmongResultsOf(F(column), Subquery(subquery)))
    return Q(**{f"{column}__in": subquery})
