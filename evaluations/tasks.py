"""What the evaluations app puts in the admin's "work to do" box (models_registry.plugins.register_tasks)."""

from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from models_registry.plugins import Task, register_tasks

from . import policies
from .models import Conference, ConferenceStatus, CouncilMember, Nomination, ScoreSheet, SheetStatus


def sheets_waiting_for(user) -> int:
    """Nominations of conferences in scoring where the person sits, is not recused and has not submitted."""
    seats = CouncilMember.unscoped.filter(user=user, conference__status=ConferenceStatus.SCORING)
    count = 0
    for seat in seats:
        submitted = ScoreSheet.unscoped.filter(nomination=OuterRef("pk"), member=seat, status=SheetStatus.SUBMITTED)
        waiting = Nomination.unscoped.filter(conference_id=seat.conference_id).exclude(Exists(submitted))
        if seat.organization_id:
            waiting = waiting.exclude(initiative__organization_id=seat.organization_id)
        count += waiting.count()
    return count


@register_tasks(order=20)
def evaluation_tasks(user) -> list[Task]:
    tasks = []
    if CouncilMember.unscoped.filter(user=user, conference__status=ConferenceStatus.SCORING).exists():
        try:
            url = reverse("evaluations:my_conferences")
        except NoReverseMatch:
            url = reverse("admin:evaluations_conference_changelist")
        tasks.append(Task(_("Score sheets waiting for you"), sheets_waiting_for(user), url))
    if user.has_perm(policies.CHANGE_CONFERENCE):
        open_conferences = Conference.objects.visible_to(user).exclude(status=ConferenceStatus.CLOSED)
        tasks.append(Task(_("Evaluation conferences being prepared or scored"), open_conferences.count(),
                          reverse("admin:evaluations_conference_changelist")))
    return tasks
