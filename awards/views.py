"""The awards pages outside the admin: the printable list of a decision's recipients."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@login_required
@require_GET
def decision_print(request, pk: int):
    """The annex of a decision ("Danh sách … được khen thưởng, kèm theo Quyết định số …"), for the board that
    entered it and the staff of the bodies it commends; 404 for everyone else."""
    decision = selectors.printable_decision(request.user, pk)
    if decision is None:
        raise Http404
    return render(request, "awards/decision_print.html", {
        "decision": decision, "recipients": selectors.decision_recipients(decision),
    })
