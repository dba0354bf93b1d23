"""The evaluations' headline figure on the public home page (registered in EvaluationsConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from models_registry.plugins import Figure, register_figures

from .ratings import highly_effective_count


# After the registry's own figures (order 10): registered, recognised, running, value mobilised.
@register_figures(order=20)
def evaluation_figures() -> list[Figure]:
    """Public models whose latest rating, from a closed conference, counts as highly effective and
    replicable. The home page caches it with the other figures under the public catalogue's version, which
    closing or reopening a conference renews."""
    return [Figure("highly_effective", _("highly effective and replicable models"), highly_effective_count())]
