from django.conf import settings

from evaluations.selectors import has_council_seat
from models_registry.people import uses_admin
from models_registry.scope import UserScope
from reports.policies import can_export


def portal(request):
    return {
        # Not "site_name": Django's log-in and password views put the request's host under that name.
        "portal_name": settings.DANVAN_SITE_NAME,
        "board_name": settings.DANVAN_BOARD_NAME,
        # Called only by templates that ask; the scope reads the profile once per request.
        "own_organization_id": lambda: UserScope.of(request.user).own_organization_id,
        "has_council_seat": lambda: has_council_seat(request.user),
        # The admin's door is for reviewers, boards and administrators; unit staff work in the portal.
        "can_use_admin": lambda: uses_admin(request.user),
        "can_see_reports": lambda: can_export(request.user),
    }
