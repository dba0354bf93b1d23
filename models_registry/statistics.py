"""Figures the portal publishes, defined once: the home page shows them and `seed_demo` reports them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .formatting import thousands, vnd
from .models import Initiative, InitiativeStatus, Lifecycle, YearlyResult


@dataclass(frozen=True)
class HeadlineFigures:
    registered: int
    recognised: int
    running: int
    value_mobilised: int

    # The names the home page gives the figures (templates/home.html uses the same msgids).
    LABELS = {
        "registered": _("models registered"),
        "recognised": _("models recognised"),
        "running": _("recognised models still running"),
        "value_mobilised": _("value mobilised"),
    }

    def described(self) -> list[str]:
        """["553 mô hình đã đăng ký", …, "giá trị huy động 1.234.567 ₫"], as the home page words them."""
        counts = [f"{thousands(getattr(self, name))} {self.LABELS[name]}"
                  for name in ("registered", "recognised", "running")]
        return [*counts, f"{self.LABELS['value_mobilised']} {vnd(self.value_mobilised)}"]


def headline_figures() -> HeadlineFigures:
    """Counts over every registration that left the draft stage (no single initiative is shown)."""
    counts = Initiative.unscoped.exclude(status=InitiativeStatus.DRAFT).aggregate(
        registered=Count("pk"),
        recognised=Count("pk", filter=Q(status=InitiativeStatus.ACCEPTED)),
        running=Count("pk", filter=Q(status=InitiativeStatus.ACCEPTED, lifecycle=Lifecycle.ACTIVE)),
    )
    value = YearlyResult.unscoped.filter(initiative__status=InitiativeStatus.ACCEPTED).aggregate(
        total=Coalesce(Sum("value_mobilised"), 0)
    )["total"]
    return HeadlineFigures(value_mobilised=value, **counts)
