"""Reads of the registry that more than one page needs: what waits for whom, who is told.

Writes live in services.py, the rules of who may do what in policies.py; this module only reads.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Q

from . import policies
from .models import Initiative, InitiativeStatus
from .scope import REVIEW_PERMISSION, UserScope

DRAFTS_COUNT_SECONDS = 60


def _users_with_permission(codename: str):
    """Active accounts holding an app permission through a group or directly (superusers left out)."""
    app_label, name = codename.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=name)
    return get_user_model().objects.filter(
        Q(groups__permissions__in=permission) | Q(user_permissions__in=permission), is_active=True,
    ).distinct()


def reviewers_for(initiative: Initiative):
    """Who is told that this registration waits for a decision.

    The reviewers of its reviewing unit (or of that unit's counterpart on today's map); when that unit has
    none, the board members above it who may decide on anything in their scope.
    """
    review_unit = initiative.review_unit
    units = {review_unit.pk, review_unit.current_unit_id} - {None}
    reviewers = _users_with_permission(REVIEW_PERMISSION).filter(staff_profile__unit__in=units)
    if reviewers.exists():
        return reviewers
    path = (review_unit.current_unit.path if review_unit.current_unit_id else review_unit.path).strip("/")
    parts = path.split("/")
    ancestors = ["/".join(parts[:end]) + "/" for end in range(2, len(parts))]
    return _users_with_permission(policies.DECIDE_ANY_PERMISSION).filter(staff_profile__unit__path__in=ancestors)


def owners_of(initiative: Initiative):
    """The registering organisation's staff accounts."""
    return get_user_model().objects.filter(staff_profile__organization_id=initiative.organization_id,
                                           is_active=True)


def initiatives_awaiting_review(user):
    """Submitted registrations in the user's scope that this user is the one to decide on."""
    queryset = Initiative.objects.visible_to(user).filter(status=InitiativeStatus.SUBMITTED)
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser or user.has_perm(policies.DECIDE_ANY_PERMISSION):
        return queryset
    scope = UserScope.of(user)
    if scope.unit is None or not user.has_perm(REVIEW_PERMISSION):
        return queryset.none()
    return queryset.filter(Q(review_unit=scope.unit) | Q(review_unit__current_unit=scope.unit))


def initiatives_returned_to(user):
    """Registrations returned for changes to the user's own organisation."""
    own = UserScope.of(user).own_organization_id
    if own is None:
        return Initiative.unscoped.none()
    return Initiative.unscoped.filter(organization_id=own, status=InitiativeStatus.RETURNED)




def drafts_in_progress(user) -> int | None:
    """How many drafts the bodies of the person's area are writing: a draft belongs to its unit until it is
    submitted, so those who review see this count, not the drafts (None for the unit's own staff)."""
    scope = UserScope.of(user)
    if scope.everything or scope.nothing or scope.organization_id is not None:
        return None
    # Said beside every page of the list: counted once a minute per unit, not on each page turned.
    return cache.get_or_set(
        f"drafts-in-progress:{scope.unit.pk}",
        lambda: Initiative.unscoped.filter(status=InitiativeStatus.DRAFT, unit__in=scope.unit_ids()).count(),
        DRAFTS_COUNT_SECONDS)
