"""Paging through lists that may hold a whole country's rows: the admin's lists, the public catalogue.

Two costs grow with a list, and neither is needed to show one page of it:

- Its count. At most COUNT_LIMIT + 1 rows are counted; a list with more says so plainly, as "about N (an
  estimate)" from the PostgreSQL planner's estimate when that is above the limit (cached a few minutes), or as
  "more than N". Page numbers then follow the estimate, and a page is still read from the database: a page
  that comes back short or empty corrects the count (a page beyond the real end shows the real last page).
- Its deep pages. Django slices the whole query (`LIMIT 50 OFFSET 9950`): PostgreSQL then joins every
  skipped row to every related table of `select_related` before throwing it away. Here the page's keys are
  chosen first in a narrow subquery (the list's filters and order, no joins for display), and only those rows
  are joined: `WHERE id IN (SELECT id … ORDER BY … LIMIT 51 OFFSET 9950)`, one query still. The offset walks
  index entries of the (filter, order) index where one exists, not joined rows.
"""

from __future__ import annotations

import hashlib
import json
import math

from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import F, OrderBy
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .formatting import thousands
from .sql import among

# Lists with more rows than this are not counted to the end.
COUNT_LIMIT = 10_000
# How long the planner's estimate of a list's size is reused (it is an estimate anyway).
ESTIMATE_CACHE_SECONDS = 300


def capped_count(queryset, limit: int = COUNT_LIMIT) -> int:
    """The number of rows, counting at most `limit` + 1 of them: one query that stops early."""
    return queryset.order_by().values("pk")[: limit + 1].count()


def planner_estimate(queryset) -> int | None:
    """PostgreSQL's estimate of the number of rows (from its statistics, nothing is read), cached for
    ESTIMATE_CACHE_SECONDS; None on other databases."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    key = "list-estimate:" + hashlib.sha256(f"{queryset.db}|{sql}|{params!r}".encode()).hexdigest()

    def explain() -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])

    return cache.get_or_set(key, explain, ESTIMATE_CACHE_SECONDS)


def sorted_not_walked(queryset):
    """The queryset in the same order, given as expressions that no index matches (`COALESCE(x, x)` sorts as
    `x`): PostgreSQL then finds the rows through their filters' indexes and sorts them, instead of walking an
    index in the list's order and testing every row it meets. Only for lists known to be short."""
    query = queryset.query
    ordering = query.order_by or (query.get_meta().ordering if query.default_ordering else ())
    wrapped = []
    for item in ordering:
        if isinstance(item, str):
            name = item.lstrip("-+")
            if not _is_own_column(query, name):
                return queryset  # "?", or a relation, which sorts by the related model's ordering: left as it is
            item = OrderBy(F(name), descending=item.startswith("-"))
        elif not isinstance(item, OrderBy):
            item = item.asc()
        wrapped.append(OrderBy(Coalesce(item.expression, item.expression), descending=item.descending,
                               nulls_first=item.nulls_first, nulls_last=item.nulls_last))
    return queryset.order_by(*wrapped)


def _is_own_column(query, name: str) -> bool:
    """Whether an ordering name is an annotation or a column of the model itself (not a relation)."""
    if name in query.annotations or name == "pk":
        return True
    try:
        field = query.get_meta().get_field(name)
    except FieldDoesNotExist:
        return False
    return field.concrete and not field.is_relation


def rows_with_keys(queryset, keys):
    """The queryset's rows whose key is among `keys` (a values("pk") subquery), read by the primary key index."""
    return queryset.filter(among(queryset.db, "pk", keys))


def rounded(number: int) -> int:
    """Two significant digits: 1.003.456 → 1.000.000, 134.567 → 130.000 (an estimate claims no more)."""
    if number < 100:
        return number
    scale = 10 ** (len(str(number)) - 2)
    return round(number / scale) * scale


class LargeListPaginator(Paginator):
    """A paginator whose count stops at `count_limit` and whose pages read only their own rows (see the module).

    `capped` may be given when the caller has already counted the list the same way (a search does);
    `estimate=False` says "more than N" rather than asking the planner (whose guesses for a search's text
    patterns are rough). The page's `object_list` is a list. `orphans` is not supported.
    """

    count_limit = COUNT_LIMIT

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *,
                 count_limit: int | None = None, capped: int | None = None, estimate: bool = True):
        super().__init__(object_list, per_page, 0, allow_empty_first_page)
        if count_limit is not None:
            self.count_limit = count_limit
        if capped is not None:
            self.__dict__["capped"] = capped
        self.use_estimate = estimate

    # --- the count ----------------------------------------------------------------------------------------

    @cached_property
    def capped(self) -> int:
        return capped_count(self.object_list, self.count_limit)

    @cached_property
    def count_is_exact(self) -> bool:
        return self.capped <= self.count_limit

    @cached_property
    def estimate(self) -> int | None:
        """The planner's estimate, when the list is too long to count and the estimate is above the limit."""
        if self.count_is_exact or not self.use_estimate:
            return None
        estimate = planner_estimate(self.object_list)
        return rounded(estimate) if estimate is not None and rounded(estimate) > self.count_limit else None

    @cached_property
    def count(self) -> int:
        if self.count_is_exact:
            return self.capped
        return self.estimate or self.count_limit + 1

    def count_text(self, singular, plural) -> str:
        """How many rows, in words that say when the number is not exact: "about 1.000.000 models (an
        estimate)", "more than 10.000 models", "1.234 models"."""
        if self.count_is_exact:
            return f"{thousands(self.count)} {singular if self.count == 1 else plural}"
        if self.estimate:
            return _("about %(count)s %(items)s (an estimate)") % {"count": thousands(self.estimate),
                                                                   "items": plural}
        return _("more than %(count)s %(items)s") % {"count": thousands(self.count_limit), "items": plural}

    def exact_count_found(self, count: int) -> None:
        """The rows read showed the exact count (a last page), or it was counted to the end."""
        self.__dict__.update(capped=count, count=count, count_is_exact=True, estimate=None)
        self.__dict__.pop("num_pages", None)

    # --- the pages ----------------------------------------------------------------------------------------

    def validate_number(self, number):
        """A whole number from 1. Past the end of a list counted exactly, its last page (a link kept from when
        the list was longer still leads somewhere); past an estimate, any page may exist: reading it tells."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(_("That page number is not an integer")) from None
        if number < 1:
            raise EmptyPage(_("That page number is less than 1"))
        return min(number, self.num_pages) if self.count_is_exact else number

    def page_rows(self, bottom: int, top: int) -> list:
        """Rows bottom..top of the list: their keys chosen by a narrow subquery, then only they are joined.

        A list known to be short (counted exactly) has its keys sorted rather than walked in order along an
        index: a scope or a filter whose rows all sit far down that index (a province's registrations, imported
        together) would otherwise be found by reading every row before them."""
        if self.count_is_exact:
            keys = sorted_not_walked(self.object_list.values("pk"))[bottom:top]
        elif bottom == 0:
            return list(self.object_list[:top])
        else:
            keys = self.object_list.values("pk")[bottom:top]
        return list(rows_with_keys(self.object_list, keys))

    def page(self, number):
        number = self.validate_number(number)
        if self.estimate and number > self.num_pages:
            # Past the estimated end (a link kept from a longer list, a typed number): count to the end first,
            # rather than read an empty page and then count.
            self.exact_count_found(self.object_list.count())
            number = min(number, self.num_pages)
        bottom = (number - 1) * self.per_page
        # One row more than the page shows: whether a next page exists, whatever the count said.
        rows = self.page_rows(bottom, bottom + self.per_page + 1)
        if len(rows) > self.per_page:
            if number >= self.num_pages:  # longer than the count said
                if self.count_is_exact:
                    self.exact_count_found(self.object_list.count())
                else:
                    self.__dict__["count"] = bottom + len(rows)
                    self.__dict__.pop("num_pages", None)
        elif rows or number == 1:
            if not self.count_is_exact or self.count != bottom + len(rows):
                self.exact_count_found(bottom + len(rows))  # the last page: its rows give the exact count
        else:
            # Past the end of a list shorter than its count said: count it, and show its real last page.
            self.exact_count_found(self.object_list.count())
            number = self.num_pages
            bottom = (number - 1) * self.per_page
            rows = self.page_rows(bottom, bottom + self.per_page)
        self.shown_number = number
        return self._get_page(rows[: self.per_page], number, self)

    def get_elided_page_range(self, number=1, *, on_each_side=3, on_ends=2):
        """As Django's, except that when the count is not exact the last pages (whose numbers are guesses)
        are left out: the range ends a few pages after this one, with an ellipsis."""
        if self.count_is_exact:
            yield from super().get_elided_page_range(number, on_each_side=on_each_side, on_ends=on_ends)
            return
        number = self.validate_number(number)
        last = max(number, min(number + on_each_side, self.num_pages))
        if number > 1 + on_each_side + on_ends + 1:
            yield from range(1, on_ends + 1)
            yield self.ELLIPSIS
            yield from range(number - on_each_side, last + 1)
        else:
            yield from range(1, last + 1)
        yield self.ELLIPSIS

    @cached_property
    def num_pages(self):
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return max(1, math.ceil(self.count / self.per_page))
