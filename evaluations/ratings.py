"""What the pages read about ratings: the scale, an initiative's latest rating, its results by year.

Only closed conferences count. A conference still preparing or scoring may change every figure it holds, so
nothing of it reaches a page; reopening a closed one takes its ratings away again (services keep
`LatestRating` in step and renew the public catalogue's version). The catalogue, the home page and the
staff list read the latest rating through `LatestRating` (one row per initiative, joined on its key), never
by looking through every nomination on a visitor's request.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from models_registry.models import Initiative

from .models import ConferenceStatus, Nomination, Rating

# The latest rating and its step of the scale, read with the initiative in the same query.
LATEST_RATING_RELATED = "latest_rating__rating"

# "Highly effective and replicable" is a flag of the scale, not a name: the board may rename the steps.
HIGHLY_EFFECTIVE = Q(latest_rating__rating__counts_as_highly_effective=True)


def rating_scale() -> QuerySet[Rating]:
    """The steps of the rating scale, best first."""
    return Rating.objects.order_by("-min_percent")


def with_latest_rating(initiatives: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """`initiative.latest_rating.rating` without one more query per row (missing when never rated)."""
    return initiatives.select_related(LATEST_RATING_RELATED)


def rated(initiatives: QuerySet[Initiative], rating: Rating | int) -> QuerySet[Initiative]:
    """The initiatives whose latest rating from a closed conference is this one."""
    return initiatives.filter(latest_rating__rating=rating)


def highly_effective(initiatives: QuerySet[Initiative]) -> QuerySet[Initiative]:
    """The initiatives whose latest rating counts as highly effective and replicable."""
    return initiatives.filter(HIGHLY_EFFECTIVE)


def highly_effective_count() -> int:
    """Public models whose latest rating counts as highly effective and replicable (a headline figure)."""
    return highly_effective(Initiative.objects.public()).count()


def outstanding_models(initiatives: QuerySet[Initiative], limit: int = 6) -> list[Initiative]:
    """The most recently rated of the highly effective models, best known first."""
    return list(highly_effective(with_latest_rating(initiatives))
                .order_by("-latest_rating__year", "-pk")[:limit])


def ratings_by_year(initiative: Initiative) -> list[Nomination]:
    """The results of every closed conference that rated this initiative, the most recent first and, within a
    year, the highest level first: year(s), conference, host, rating, mean score, recognition, proposals.

    Results of closed conferences are public for a public initiative; for staff the caller has already checked
    that the initiative is in their scope, so the nominations are read without the user's scope (a conference
    of a higher level than the reader's own rated it too)."""
    return list(
        Nomination.unscoped.filter(initiative=initiative, conference__status=ConferenceStatus.CLOSED,
                                   rating__isnull=False)
        .select_related("conference", "conference__host_unit", "rating")
        .order_by("-conference__year_to", "-conference__year_from", "conference__level", "-conference__closed_at",
                  "-pk")
    )
