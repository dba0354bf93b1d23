"""The council's pages outside the admin: my conferences, a conference's nominations, the score sheet, the
results decisions and the minutes. Every change goes through the services; their refusals come back as
messages on the page the person was on."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from models_registry.attachments import attachment_response
from models_registry.formatting import person_name

from . import minutes as minutes_module
from . import policies, selectors, services
from .forms import ResultDecisionForm, ScoreSheetForm, add_service_errors, points_text
from .models import Conference, ConferenceStatus, CouncilRole, SheetStatus

MEMBER_PARAMETER = "thanh-vien"


def _conference(request, pk: int) -> Conference:
    """The conference, for its council and the staff whose scope covers it; 404 for everyone else."""
    conference = get_object_or_404(Conference.unscoped.select_related("host_unit", "criteria_set"), pk=pk)
    if not policies.can_view(request.user, conference):
        raise Http404
    return conference


def _conference_url(conference_or_pk, anchor: str = "") -> str:
    pk = getattr(conference_or_pk, "pk", conference_or_pk)
    return reverse("evaluations:conference", args=[pk]) + anchor


def _refusal(request, error: Exception) -> None:
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error) or _(
        "You are not allowed to do that.")]))


def post_only(view):
    """For the addresses forms send to: a GET (a reload, a bookmark) leads back to the conference page."""

    @wraps(view)
    def wrapper(request, pk: int, *args, **kwargs):
        if request.method == "POST":
            return view(request, pk, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            conference = _conference(request, pk)
            messages.info(request, _("That address only receives a form; here is the page the form is on."))
            return redirect(_conference_url(conference))
        response = render(request, "405.html", status=405)
        response["Allow"] = "GET, HEAD, POST"
        return response

    return wrapper


# --- Lists --------------------------------------------------------------------------------------------


@login_required
@require_GET
def my_conferences(request):
    seats = selectors.scoring_seats_of(request.user)
    return render(request, "evaluations/my_conferences.html", {
        "seats": seats,
        "in_scope": selectors.scoring_conferences_in_scope(
            request.user, exclude_ids=[seat.conference_id for seat in seats]),
    })


@login_required
@require_GET
def conference_detail(request, pk: int):
    conference = _conference(request, pk)
    seat = policies.seat_of(request.user, conference)
    nominations = selectors.scoring_nominations(conference, seat)
    mine, council = selectors.scoring_progress(conference, nominations, seat)
    can_decide = policies.can_decide_results(request.user, conference)
    if can_decide:
        for nomination in nominations:
            nomination.decision_form = ResultDecisionForm(nomination=nomination)
    return render(request, "evaluations/conference.html", {
        "conference": conference, "seat": seat, "nominations": nominations,
        "my_progress": mine, "council_progress": council,
        "show_results": policies.can_see_results(request.user, conference),
        "can_open": policies.can_open_scoring(request.user, conference),
        "can_close": policies.can_close(request.user, conference),
        "can_decide": can_decide,
        "can_read_minutes": policies.can_read_minutes(request.user, conference),
        "is_secretary": seat is not None and seat.role == CouncilRole.SECRETARY,
    })


# --- Conference actions -------------------------------------------------------------------------------


def _expected_version(request) -> int | None:
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() else None


def _change_status(request, pk: int, *, service, reached: str, already: str, done: str):
    """Open or close through the service. A second click finds the status reached and says so; a refusal is
    a message on the conference page."""
    conference = _conference(request, pk)
    if conference.status == reached:
        messages.info(request, already)
        return redirect(_conference_url(conference))
    try:
        service(acting_user=request.user, conference=conference, expected_version=_expected_version(request))
    except (ValidationError, PermissionDenied) as error:
        _refusal(request, error)
    else:
        messages.success(request, done)
    return redirect(_conference_url(conference))


@login_required
@post_only
def conference_open(request, pk: int):
    return _change_status(request, pk, service=services.conference_open_scoring, reached=ConferenceStatus.SCORING,
                          already=_("Scoring is already open."),
                          done=_("Scoring is open: the council's members can now score."))


@login_required
@post_only
def conference_close(request, pk: int):
    return _change_status(request, pk, service=services.conference_close, reached=ConferenceStatus.CLOSED,
                          already=_("The conference is already closed."),
                          done=_("The conference is closed: its results are final."))


@login_required
@post_only
def result_decide(request, pk: int, nomination_pk: int):
    conference = _conference(request, pk)
    nomination = selectors.scoring_nomination(conference, nomination_pk)
    if nomination is None:
        raise Http404
    anchor = f"#de-cu-{nomination.pk}"
    form = ResultDecisionForm(request.POST, nomination=nomination)
    if not form.is_valid():
        messages.error(request, _("The decisions on %(code)s were not saved: %(errors)s") % {
            "code": nomination.initiative.code,
            "errors": " ".join(str(e) for errors in form.errors.values() for e in errors)})
        return redirect(_conference_url(conference, anchor))
    try:
        services.result_decide(acting_user=request.user, nomination=nomination,
                               expected_version=form.cleaned_data["version"], **form.decisions())
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _("The decisions on %(code)s were not saved: %(errors)s") % {
            "code": nomination.initiative.code, "errors": " ".join(getattr(error, "messages", None) or [str(error)])})
    else:
        messages.success(request, _("The decisions on %(code)s are saved.") % {"code": nomination.initiative.code})
    return redirect(_conference_url(conference, anchor))


# --- The score sheet ----------------------------------------------------------------------------------


def _sheet_url(conference, nomination, member=None, own_seat=None) -> str:
    url = reverse("evaluations:sheet", args=[conference.pk, nomination.pk])
    if member is not None and (own_seat is None or member.pk != own_seat.pk):
        url += f"?{MEMBER_PARAMETER}={member.pk}"
    return url


def _member_for_sheet(request, conference, seat):
    """Whose sheet the page is about: the user's own seat, or (for the secretary) the member named in the
    address. A member named by someone not allowed to type for them: 404."""
    wanted = request.GET.get(MEMBER_PARAMETER)
    if not wanted:
        return seat
    member = selectors.scoring_member(conference, wanted)
    if member is None or not policies.can_enter_sheet(request.user, member):
        raise Http404
    return member


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sheet(request, pk: int, nomination_pk: int):
    nomination = selectors.scoring_sheet_nomination(pk, nomination_pk, request.user)
    if nomination is None or not policies.can_view(request.user, nomination.conference):
        raise Http404
    conference = nomination.conference
    seat = policies.seat_of(request.user, conference)
    member = _member_for_sheet(request, conference, seat)
    current = selectors.scoring_sheet(nomination, member) if member else None
    criteria = selectors.scoring_criteria(conference, current)
    recused = member is not None and member.is_recused_from(nomination)
    form = None
    status = 200
    if member is not None and not recused:
        form = ScoreSheetForm(request.POST or None, criteria=criteria, sheet=current)
    if request.method == "POST":
        if form is None:
            if recused:
                messages.error(request, _("%(member)s works for the registering organisation and does not score "
                                          "this model.") % {"member": person_name(member.user)})
            else:
                messages.error(request, _("Only the council's members score."))
            return redirect(_sheet_url(conference, nomination, member, seat))
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            try:
                saved = services.sheet_save(
                    acting_user=request.user, nomination=nomination, member=member, points=form.points(),
                    comment=form.cleaned_data["comment"], submit=submit,
                    expected_version=form.cleaned_data["version"])
            except PermissionDenied as error:
                _refusal(request, error)
                return redirect(_sheet_url(conference, nomination, member, seat))
            except ValidationError as error:
                again = selectors.scoring_sheet(nomination, member)
                if submit and again is not None and again.status == SheetStatus.SUBMITTED:
                    # A second click on "submit": the first one went through; nothing happens twice.
                    messages.info(request, _("This sheet has already been submitted."))
                    return redirect(_sheet_url(conference, nomination, member, seat))
                add_service_errors(form, error)
                conference.refresh_from_db(fields=["status", "version"])
            else:
                return _after_saving(request, conference, nomination, member, seat, saved, submit)
        status = 400
    context = {
        "conference": conference, "nomination": nomination, "initiative": nomination.initiative,
        "seat": seat, "member": member, "sheet": current, "form": form, "recused": recused,
        "editable": form is not None and conference.status == ConferenceStatus.SCORING
        and (current is None or current.status == SheetStatus.DRAFT)
        and policies.can_score(request.user, nomination, member),
        "on_behalf": member is not None and member.user_id != request.user.pk,
        "council": selectors.scoring_council_sheets(nomination)
        if seat is not None and seat.role == CouncilRole.SECRETARY else None,
        "attachments": selectors.scoring_attachments(nomination),
        "results": selectors.scoring_yearly_results(nomination),
        "show_results": policies.can_see_results(request.user, conference),
        "max_total": sum((c.max_points for c in criteria), 0),
        "own_seat": seat,
    }
    return render(request, "evaluations/sheet.html", context, status=status)


def _after_saving(request, conference, nomination, member, seat, saved, submit):
    if not submit:
        messages.success(request, _("Draft saved (%(total)s points). It does not count until it is submitted.")
                         % {"total": points_text(saved.total)})
        return redirect(_sheet_url(conference, nomination, member, seat))
    if member.user_id != request.user.pk:
        messages.success(request, _("The sheet of %(member)s is submitted (%(total)s points).") % {
            "member": person_name(member.user), "total": points_text(saved.total)})
        return redirect(_sheet_url(conference, nomination, member, seat))
    messages.success(request, _("Your sheet is submitted (%(total)s points).") % {"total": points_text(saved.total)})
    following = selectors.scoring_next_nomination(conference, member, nomination)
    if following is not None:
        return redirect(_sheet_url(conference, following))
    messages.info(request, _("You have scored every model of this conference."))
    return redirect(_conference_url(conference))


@login_required
@require_GET
def sheet_attachment(request, pk: int, nomination_pk: int, attachment_pk: int):
    """A nominated model's file, for the people who may view the conference (whatever their own scope)."""
    conference = _conference(request, pk)
    nomination = selectors.scoring_nomination(conference, nomination_pk)
    attachment = selectors.scoring_attachment(nomination, attachment_pk) if nomination else None
    if attachment is None:
        raise Http404
    return attachment_response(attachment)


# --- Minutes ------------------------------------------------------------------------------------------


def _minutes_conference(request, pk: int) -> Conference:
    conference = _conference(request, pk)
    if not policies.can_read_minutes(request.user, conference):
        raise Http404
    return conference


@login_required
@require_GET
def minutes(request, pk: int):
    conference = _minutes_conference(request, pk)
    show_scores = policies.can_see_results(request.user, conference)
    return render(request, "evaluations/minutes.html", {
        "conference": conference, "minutes": minutes_module.minutes_of(conference, with_scores=show_scores),
        "show_scores": show_scores,
    })


@login_required
@require_GET
def minutes_xlsx(request, pk: int):
    conference = _minutes_conference(request, pk)
    if not policies.can_see_results(request.user, conference):
        messages.info(request, _("The scores are published when the conference closes."))
        return redirect("evaluations:minutes", pk=conference.pk)
    content = minutes_module.minutes_workbook(minutes_module.minutes_of(conference, with_scores=True))
    response = HttpResponse(content, content_type=minutes_module.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{minutes_module.file_name(conference)}"'
    return response
