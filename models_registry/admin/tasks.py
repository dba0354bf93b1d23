"""What the registry puts in the admin's "work to do" box (plugins.register_tasks)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .. import policies, selectors
from ..plugins import Task, register_tasks


@register_tasks(order=10)
def registry_tasks(user) -> list[Task]:
    """Registrations waiting for the person's review; for unit staff, those returned to them for changes."""
    changelist = reverse("admin:models_registry_initiative_changelist")
    tasks = []
    if user.is_superuser or user.has_perm(policies.REVIEW_PERMISSION) or user.has_perm(
        policies.DECIDE_ANY_PERMISSION
    ):
        tasks.append(Task(_("Registrations waiting for your review"),
                          selectors.initiatives_awaiting_review(user).count(), f"{changelist}?awaiting=me"))
    if user.has_perm("models_registry.change_initiative") and not user.is_superuser:
        returned = selectors.initiatives_returned_to(user).count()
        if returned or not tasks:
            tasks.append(Task(_("Registrations returned to your organisation for changes"), returned,
                              f"{changelist}?status__exact=returned"))
    return tasks
