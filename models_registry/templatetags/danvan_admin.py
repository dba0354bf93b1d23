"""Template tags of the admin index: the "work to do" box and the person's own recent actions."""

from django import template
from django.urls import NoReverseMatch, reverse

from ..audit import action_label
from ..models import AuditEntry, InitiativeTransition
from ..plugins import tasks_for

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_tasks(context) -> list:
    """What waits for the signed-in person, from every app (plugins.register_tasks)."""
    request = context.get("request")
    return tasks_for(getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def my_recent_actions(context, limit: int = 8) -> list[dict]:
    """The signed-in person's latest decisions and edits, newest first, each linked to its record."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    transitions = InitiativeTransition.unscoped.filter(actor=user).select_related("initiative")
    rows = [
        {"at": t.created_at, "what": f"{t.from_label()} → {t.to_label()}" if t.from_status else t.to_label(),
         "record": str(t.initiative), "url": reverse("admin:models_registry_initiative_change",
                                                     args=[t.initiative_id])}
        for t in transitions.order_by("-created_at", "-id")[:limit]
    ]
    for entry in AuditEntry.unscoped.filter(actor=user).select_related("content_type")[:limit]:
        try:
            url = reverse(f"admin:{entry.content_type.app_label}_{entry.content_type.model}_change",
                          args=[entry.object_id])
        except NoReverseMatch:
            url = ""
        rows.append({"at": entry.created_at, "what": action_label(entry.action), "record": entry.object_repr,
                     "url": url})
    return sorted(rows, key=lambda row: row["at"], reverse=True)[:limit]
