"""Who may do what to which row of the registry: the one place that answers it.

Every rule starts from the scope: a person acts only on rows they can see, and "can see" is decided by
`UserScope.covers`, the row-by-row form of the filter `visible_to` applies to lists (scope.py), so a button
and a list never disagree. Services call these checks before they write and refuse with PermissionDenied;
admins, views and templates call them to decide what to offer.
"""

from __future__ import annotations

from .models import Attachment, Initiative, InitiativeStatus, Lifecycle, Organization
from .scope import REVIEW_PERMISSION, UserScope

__all__ = ["REVIEW_PERMISSION"]  # re-exported: the permission names live with the rules that read them

DECIDE_ANY_PERMISSION = "models_registry.decide_any_in_scope"
ADD_INITIATIVE_PERMISSION = "models_registry.add_initiative"
YEARLY_RESULT_CHANGE_PERMISSION = "models_registry.change_yearlyresult"

# Owners add files while they edit the registration, and to an accepted model (yearly reports, photos);
# they remove them only while they may still edit it.
ATTACHMENT_ADD_STATUSES = (InitiativeStatus.DRAFT, InitiativeStatus.RETURNED, InitiativeStatus.ACCEPTED)
ATTACHMENT_REMOVE_STATUSES = (InitiativeStatus.DRAFT, InitiativeStatus.RETURNED)


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_see(user, obj) -> bool:
    """Whether the row is in the person's scope (the same answer `visible_to` gives for lists)."""
    return _active(user) and UserScope.of(user).covers(obj)


def is_owner(user, initiative: Initiative) -> bool:
    """Whether the person is staff of the organisation that registered the initiative."""
    own = UserScope.of(user).own_organization_id if _active(user) else None
    return own is not None and own == initiative.organization_id


def acts_for_owner(user, initiative: Initiative) -> bool:
    """The registering organisation's staff, or a superuser acting for them."""
    return _active(user) and (user.is_superuser or is_owner(user, initiative))


def can_manage_organization(user, organization: Organization, *, creating: bool = False) -> bool:
    """Adding or changing the organisations of one's area (the provincial board, administrators)."""
    if not _active(user):
        return False
    if creating:
        return user.has_perm("models_registry.add_organization")
    return user.has_perm("models_registry.change_organization") and can_see(user, organization)


def can_register_for(user, organization: Organization) -> bool:
    """Registering a new model or exemplar for an organisation of one's area."""
    return _active(user) and user.has_perm(ADD_INITIATIVE_PERMISSION) and can_see(user, organization)


def can_edit_registration(user, initiative: Initiative) -> bool:
    """Only the owning organisation (or a superuser) edits, and only a draft or a returned registration."""
    return initiative.is_editable_by_owner and acts_for_owner(user, initiative)


def can_submit(user, initiative: Initiative) -> bool:
    return initiative.status in (InitiativeStatus.DRAFT, InitiativeStatus.RETURNED) and acts_for_owner(
        user, initiative)


def can_review(user, initiative: Initiative) -> bool:
    """Whether the person decides on this registration: a reviewer of its reviewing unit (or that unit's
    counterpart on today's map), or a board member who may decide on anything in their scope."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if not can_see(user, initiative):
        return False
    if user.has_perm(DECIDE_ANY_PERMISSION):
        return True
    if not user.has_perm(REVIEW_PERMISSION):
        return False
    review_unit = initiative.review_unit
    return UserScope.of(user).unit.pk in (review_unit.pk, review_unit.current_unit_id)


def can_discontinue(user, initiative: Initiative) -> bool:
    return (
        initiative.status == InitiativeStatus.ACCEPTED
        and initiative.lifecycle == Lifecycle.ACTIVE
        and (can_review(user, initiative) or is_owner(user, initiative))
    )


def can_report_results(user, initiative: Initiative) -> bool:
    """Yearly results of an accepted model: its organisation reports them; staff allowed to record results
    (the provincial board, bringing in past years) may do so for the models of their area."""
    if initiative.status != InitiativeStatus.ACCEPTED:
        return False
    if acts_for_owner(user, initiative):
        return True
    return _active(user) and user.has_perm(YEARLY_RESULT_CHANGE_PERMISSION) and can_see(user, initiative)


def can_add_attachment(user, initiative: Initiative) -> bool:
    return initiative.status in ATTACHMENT_ADD_STATUSES and acts_for_owner(user, initiative)


def can_remove_attachment(user, attachment: Attachment) -> bool:
    initiative = attachment.initiative
    return initiative.status in ATTACHMENT_REMOVE_STATUSES and acts_for_owner(user, initiative)


def can_delete_draft(user, initiative: Initiative) -> bool:
    return initiative.status == InitiativeStatus.DRAFT and acts_for_owner(user, initiative)
