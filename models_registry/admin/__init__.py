"""The registry's admin, in Vietnamese, scoped to each person's area (DESIGN.md §2)."""

from . import initiatives, people, registry  # noqa: F401 - registers the ModelAdmins
