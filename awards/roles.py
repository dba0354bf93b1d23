"""The awards app's grants (found by models_registry.roles.discover)."""

from models_registry.roles import PROVINCIAL_BOARD, REVIEWER, SYSTEM_ADMIN, grant

_READ = ["awards.view_awardform", "awards.view_commendation", "awards.view_decision"]
# Boards propose for their area; the level of the form decides (awards.policies.decides_at_level).
_PROPOSE_AND_DECIDE = [*_READ, "awards.add_commendation", "awards.change_commendation",
                       "awards.decide_commendation", "awards.add_decision", "awards.change_decision"]

grant(REVIEWER, _PROPOSE_AND_DECIDE)
grant(PROVINCIAL_BOARD, [*_PROPOSE_AND_DECIDE, "awards.add_awardform", "awards.change_awardform"])
grant(SYSTEM_ADMIN, [*_READ, "awards.add_awardform", "awards.change_awardform"])
