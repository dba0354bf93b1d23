"""Template tags of the admin: the "work to do" box on the admin index."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import services

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
    if user.is_superuser or user.has_perm(services.REVIEW_PERMISSION) or user.has_perm(
        services.DECIDE_ANY_PERMISSION
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
