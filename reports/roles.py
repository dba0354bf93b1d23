"""The reports app's permission and grants (found by models_registry.roles.discover)."""

from models_registry.roles import PROVINCIAL_BOARD, REVIEWER, declare_permission, grant

# Draws the yearly workbook and the statistics of the person's area.
EXPORT_REPORT = declare_permission("reports.export_report", "reportjob", "Can export the yearly report")

grant(REVIEWER, [EXPORT_REPORT])
grant(PROVINCIAL_BOARD, [EXPORT_REPORT])
