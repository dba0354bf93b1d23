"""Template tags of the admin index: the "work to do" box and the person's own recent actions."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from .. import policies, services
from ..audit import action_label
from ..models import AuditEntry, InitiativeTransition

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_tasks(context) -> list[dict]:
    """What waits for the signed-in person, each with a count and a link to the filtered list."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    changelist = reverse("admin:models_registry_initiative_changelist")
    tasks = []
    if user.is_superuser or user.has_perm(policies.REVIEW_PERMISSION) or user.has_perm(
        policies.DECIDE_ANY_PERMISSION
    ):
        tasks.append({
            "label": _("Registrations waiting for your review"),
            "count": services.initiatives_awaiting_review(user).count(),
            "url": f"{changelist}?awaiting=me",
        })
    if user.has_perm("models_registry.change_initiative") and not user.is_superuser:
        returned = services.initiatives_returned_to(user).count()
        if returned or not tasks:
            tasks.append({
                "label": _("Registrations returned to your organisation for changes"),
                "count": returned,
                "url": f"{changelist}?status__exact=returned",
            })
    return tasks


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
