"""The public catalogue's version: every cached count and statistic of the public site is keyed by it.

Whatever changes what the public sees calls `public_catalogue_changed()`: an initiative accepted or
discontinued, a first submission (the home page counts registrations), yearly results saved or deleted, an
organisation renamed (the search finds initiatives by their organisation's name). Once the transaction
commits, the version changes and every cached count and statistic is stale at once, without looking for
them one by one; entries of older versions are never read again and expire by themselves.

The version lives in the cache beside what it guards, so it is exactly as shared as the cached figures
themselves: with several server processes behind a shared cache backend, one renewal reaches them all.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "public-catalogue:version"


def _new_token() -> str:
    # Random rather than a counter: a version evicted from the cache never comes back as an old number whose
    # entries are still cached.
    return uuid.uuid4().hex[:16]


def public_catalogue_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        token = _new_token()
        version = token if cache.add(VERSION_KEY, token, timeout=None) else cache.get(VERSION_KEY, token)
    return version


def public_cache_key(*parts: object) -> str:
    """A cache key for something the public site computes from public data, e.g. ("count", digest)."""
    return ":".join(["portal", public_catalogue_version(), *(str(part) for part in parts)])


def _renew() -> None:
    cache.set(VERSION_KEY, _new_token(), timeout=None)


def public_catalogue_changed() -> None:
    """What the public sees is changing: renew the version once the current transaction commits.

    After the commit, not before: a visitor counting in between would otherwise store the old figures
    under the new version.
    """
    transaction.on_commit(_renew, robust=True)


def _yearly_result_changed(sender, **kwargs) -> None:
    public_catalogue_changed()


def _initiative_deleted(sender, instance, **kwargs) -> None:
    from .models import InitiativeStatus

    if instance.status != InitiativeStatus.DRAFT:
        public_catalogue_changed()


def connect_signals() -> None:
    """Yearly results are written by the staff area, the admin (form and inline) and imports; deleting an
    initiative (a superuser's cleanup) removes it from the counts. Status and lifecycle changes, which are
    conditional UPDATEs without signals, call `public_catalogue_changed()` in services.py."""
    from .models import Initiative, YearlyResult

    post_save.connect(_yearly_result_changed, sender=YearlyResult, dispatch_uid="public-cache-result-saved")
    post_delete.connect(_yearly_result_changed, sender=YearlyResult, dispatch_uid="public-cache-result-deleted")
    post_delete.connect(_initiative_deleted, sender=Initiative, dispatch_uid="public-cache-initiative-deleted")
