"""Searching the folded `search_text` columns, the same way everywhere: the public catalogue, the replication
picker, the admin's searches and its pickers (autocomplete).

- The query is folded like the stored text ("Hũ gạo" → "hu gao"); punctuation separates words.
- Every word must match, in any order, at the start of a word: "hu" finds "Hũ", not "khu".
- The best matches come first (`SEARCH_RANK`, lower is better): the heading (an initiative's title, a
  unit's or an organisation's name) equal to the query, then another field equal to it (a unit's short name,
  an initiative's code or organisation), the heading starting with the query, holding it, holding every word;
  then the rest. Only when at most RANK_LIMIT rows match: ranking reads every match.

A word is matched with `LIKE '% word%'` on a column whose words all follow a space (text.search_document):
pg_trgm's GIN index serves that pattern on PostgreSQL, and SQLite runs it as it is.
"""

from __future__ import annotations

from functools import reduce
from operator import and_, or_

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan, LessThan

from .text import FIELD_END, fold_for_search, search_document

MAX_WORDS = 8
SEARCH_RANK = "search_rank"
# Above this many matches a search is listed in its usual order (best_first).
RANK_LIMIT = 2000


def search_words(query: str) -> list[str]:
    """The distinct folded words of a query, at most MAX_WORDS of them."""
    return list(dict.fromkeys(fold_for_search(query or "").split()))[:MAX_WORDS]


def words_match(words: list[str], *fields: str) -> Q:
    """Every word starts a word of one of the fields."""
    return reduce(and_, (reduce(or_, (Q(**{f"{field}__contains": f" {word}"}) for field in fields))
                         for word in words), Q())


def search_rank(words: list[str], field: str = "search_text") -> Case:
    """How well a row matches (0 is best), from where the words stand in its search text."""
    phrase = " ".join(words)
    heading_end = StrIndex(F(field), Value(FIELD_END))

    def in_heading(text: str) -> Q:
        position = StrIndex(F(field), Value(f" {text}"))
        return Q(GreaterThan(position, 0), LessThan(position, heading_end))

    return Case(
        When(Q(**{f"{field}__startswith": f" {phrase}{FIELD_END}"}), then=Value(0)),
        When(Q(**{f"{field}__contains": f"| {phrase}{FIELD_END}"}), then=Value(1)),
        When(Q(**{f"{field}__startswith": f" {phrase}"}), then=Value(2)),
        When(in_heading(phrase), then=Value(3)),
        When(reduce(and_, (in_heading(word) for word in words)), then=Value(4)),
        default=Value(5),
        output_field=IntegerField(),
    )


def search(queryset: QuerySet, query: str, *, fields: tuple[str, ...] = ("search_text",)) -> QuerySet:
    """The rows where every word of the query starts a word of one of the fields (a query without words
    leaves the queryset as it is)."""
    words = search_words(query)
    return queryset.filter(words_match(words, *fields)) if words else queryset


def has_many_matches(queryset: QuerySet, limit: int | None = None) -> bool:
    """Whether more than `limit` (default RANK_LIMIT) rows match: one query that reads at most limit + 1."""
    limit = RANK_LIMIT if limit is None else limit
    return bool(queryset.order_by().values_list("pk", flat=True)[limit:limit + 1])


def best_first(queryset: QuerySet, query: str, *ordering: str, field: str = "search_text",
               many: bool | None = None) -> QuerySet:
    """The (searched) rows ordered best match first (annotated with SEARCH_RANK), then by `ordering`.

    Ranking reads every matching row, which a list in its usual order does not (it walks an index and stops
    after a page): a query so broad that more than RANK_LIMIT rows match, e.g. "xã" over a province, is left
    in `ordering`. `many` says whether that is the case when the caller knows (e.g. from a cached answer);
    otherwise `has_many_matches` finds out.
    """
    words = search_words(query)
    if not words or (has_many_matches(queryset) if many is None else many):
        return queryset.order_by(*ordering) if ordering else queryset
    return queryset.annotate(**{SEARCH_RANK: search_rank(words, field)}).order_by(SEARCH_RANK, *ordering)


# --- Rebuilding the stored search texts ----------------------------------------------------------------

REBUILD_BATCH = 5000
# Per model: the values read, in the order the model's build_search_text gives them to search_document.
SEARCH_SOURCES = {
    "AdministrativeUnit": ("name", "short_name", "code"),
    "Organization": ("name",),
    "Initiative": ("title", "code", "person_name", "organization__name"),
}


def _write_search_texts(model, manager, batch: list[tuple[int, str]], connection) -> None:
    if connection.vendor == "postgresql":
        values = ", ".join(["(%s, %s)"] * len(batch))
        params = [item for pair in batch for item in pair]
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {model._meta.db_table} AS t SET search_text = v.text FROM (VALUES {values}) "
                           "AS v(id, text) WHERE t.id = v.id", params)
    else:
        manager.bulk_update([model(pk=pk, search_text=text) for pk, text in batch], ["search_text"])


def rebuild_search_texts(connection=None) -> dict[str, int]:
    """Recompute every stored search text (after a change to how text is folded); returns rows per model.

    One UPDATE per batch from a VALUES list on PostgreSQL (bulk_update's CASE over a million rows takes
    minutes), then ANALYZE, since every row was rewritten.
    """
    from django.apps import apps
    from django.db import connection as default_connection

    connection = connection or default_connection
    counts = {}
    for name, sources in SEARCH_SOURCES.items():
        model = apps.get_model("models_registry", name)
        manager = getattr(model, "unscoped", model._default_manager)
        batch: list[tuple[int, str]] = []
        rows = 0
        for pk, *fields in manager.order_by().values_list("pk", *sources).iterator(chunk_size=REBUILD_BATCH):
            batch.append((pk, search_document(*fields)))
            rows += 1
            if len(batch) >= REBUILD_BATCH:
                _write_search_texts(model, manager, batch, connection)
                batch = []
        if batch:
            _write_search_texts(model, manager, batch, connection)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {model._meta.db_table}")
        counts[name] = rows
    return counts
