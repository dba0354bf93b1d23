"""Pagination for public lists over the whole country's data."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import cached_property

from models_registry.pagination import LargeListPaginator, capped_count
from models_registry.public_cache import public_cache_key


def list_cache_key(queryset, name: str) -> str:
    """A cache key for something known about one public list (its count…), under the public catalogue's
    version: the same filters give the same rows, hence the same key, whatever their order."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    return public_cache_key(name, hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest())


def cached_for_list(queryset, name: str, compute):
    """`compute()`, cached for the list like its count."""
    return cache.get_or_set(list_cache_key(queryset, name), compute, settings.DANVAN_STATISTICS_CACHE_SECONDS)


def list_count(queryset, limit: int) -> int:
    """The list's count up to `limit` + 1 (models_registry.pagination.capped_count), cached for the list: a
    count found exact past the limit by reading a last page is cached too."""
    return cached_for_list(queryset, "count", lambda: capped_count(queryset, limit))


class CachedCountPaginator(LargeListPaginator):
    """LargeListPaginator (a count that stops early, deep pages that join only their own rows) whose count is
    kept for each distinct filtered list for DANVAN_STATISTICS_CACHE_SECONDS and public catalogue version.

    Visitors paging through the same list (or the next visitor with the same filters) reuse the count, until
    something public changes (models_registry.public_cache). Only the count is cached, never the rows: a page
    reads its rows, and one more, from the database whatever the count says, and when they show that the
    count is wrong (the last page is shorter or longer than it says) the count is corrected.
    """

    @cached_property
    def capped(self) -> int:
        return list_count(self.object_list, self.count_limit)

    @cached_property
    def count_is_exact(self) -> bool:
        return self.capped <= self.count_limit or cache.get(list_cache_key(self.object_list, "exact")) is True

    def exact_count_found(self, count: int) -> None:
        super().exact_count_found(count)
        seconds = settings.DANVAN_STATISTICS_CACHE_SECONDS
        cache.set(list_cache_key(self.object_list, "count"), count, seconds)
        cache.set(list_cache_key(self.object_list, "exact"), True, seconds)
