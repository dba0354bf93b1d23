"""The commendations' headline figure on the public home page (registered in AwardsConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from models_registry.plugins import Figure, register_figures

from .selectors import approved_count


# After the evaluations' figure (order 20).
@register_figures(order=30)
def award_figures() -> list[Figure]:
    """Approved commendations, every one a recipient on a decision. The home page caches it with the other
    figures under the public catalogue's version, which approving a decision renews (services.approve)."""
    return [Figure("commendations", _("commendations awarded"), approved_count())]
