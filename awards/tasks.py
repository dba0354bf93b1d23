"""What the awards app puts in the admin's "work to do" box (models_registry.plugins.register_tasks)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from models_registry.plugins import Task, register_tasks

from . import policies
from .models import Commendation, CommendationStatus


@register_tasks(order=30)
def commendation_tasks(user) -> list[Task]:
    """Proposals waiting for the person's board to decide: those of the forms its level grants."""
    levels = policies.deciding_levels(user)
    if levels == []:
        return []
    waiting = Commendation.objects.visible_to(user).filter(status=CommendationStatus.PROPOSED)
    if levels is not None:
        waiting = waiting.filter(award_form__level__in=levels)
    return [Task(_("Commendation proposals waiting for your decision"), waiting.count(),
                 reverse("admin:awards_commendation_changelist") + "?status__exact=proposed")]
