"""The evaluations app's roles and grants (found by models_registry.roles.discover)."""

from django.utils.translation import gettext_lazy as _

from models_registry.roles import PROVINCIAL_BOARD, REVIEWER, SYSTEM_ADMIN, declare_role, grant

# Council members score on the scoring pages; their seat on a conference, not a permission, lets them.
COUNCIL_MEMBER = declare_role("Thành viên hội đồng đánh giá", _("council member"), rank=1)

_READ = [
    "evaluations.view_conference",
    "evaluations.view_councilmember",
    "evaluations.view_nomination",
    "evaluations.view_scoresheet",
    "evaluations.view_criteriaset",
    "evaluations.view_criterion",
    "evaluations.view_rating",
]
# A board holds the conferences of its own unit: the commune's reviewers theirs, the province's board its own.
_HOST = [
    *_READ,
    "evaluations.add_conference",
    "evaluations.change_conference",
    "evaluations.add_councilmember",
    "evaluations.change_councilmember",
    "evaluations.delete_councilmember",
    "evaluations.add_nomination",
    "evaluations.change_nomination",
    "evaluations.delete_nomination",
]
# The criteria and the rating scale are the movement's reference data.
_MANAGE_SCALE = [
    "evaluations.add_criteriaset",
    "evaluations.change_criteriaset",
    "evaluations.add_criterion",
    "evaluations.change_criterion",
    "evaluations.delete_criterion",
    "evaluations.add_rating",
    "evaluations.change_rating",
]

grant(REVIEWER, _HOST)
grant(PROVINCIAL_BOARD, [*_HOST, *_MANAGE_SCALE, "evaluations.reopen_conference"])
grant(SYSTEM_ADMIN, [*_READ, *_MANAGE_SCALE, "evaluations.reopen_conference"])
