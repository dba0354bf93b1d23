"""Server-rendered pages: the public site (home, catalogue, detail) and the staff registration area."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from evaluations.selectors import has_council_seat
from models_registry import policies
from models_registry.attachments import attachment_add, attachment_remove, attachment_response
from models_registry.models import Attachment, Initiative, InitiativeStatus
from models_registry.pagination import LargeListPaginator
from models_registry.people import uses_admin
from models_registry.search import best_first, has_many_matches, search, search_words
from models_registry.services import (
    AlreadySubmitted,
    StaleEditError,
    WorkflowError,
    initiative_create,
    initiative_submit,
    initiative_update,
    yearly_result_save,
)
from reports import open_data

from . import selectors
from .filters import InitiativeCatalogueFilter
from .forms import AttachmentForm, InitiativeForm, YearlyResultForm
from .paginators import CachedCountPaginator, cached_for_list

PAGE_SIZES = (12, 24, 48, 96)
STAFF_PAGE_SIZE = 24


def _page_size(request, default: int) -> int:
    try:
        size = int(request.GET.get("page_size", default))
    except ValueError:
        return default
    return size if size in PAGE_SIZES else default


# --- Public site ------------------------------------------------------------------------------------------


@require_GET
def home(request):
    context = {
        **selectors.home_statistics(),
        "recent": selectors.recently_recognised(),
        "outstanding": selectors.outstanding_models(),
        "chart_labels": {"registered": _("Registered"), "accepted": _("Recognised"), "models": _("Models")},
    }
    return render(request, "home.html", context)


@require_GET
def catalogue(request):
    filterset = InitiativeCatalogueFilter(request.GET or None, queryset=selectors.public_initiatives())
    page_size = _page_size(request, PAGE_SIZES[0])
    paginator = CachedCountPaginator(filterset.qs, page_size)
    page = paginator.get_page(request.GET.get("page"))
    more_filters_active = any(request.GET.get(name) for name in filterset.filters if name != "q")
    return render(request, "portal/catalogue.html", {
        "filter": filterset, "page": page, "page_size": page_size, "page_sizes": PAGE_SIZES,
        "more_filters_active": more_filters_active,
    })


def _open_data(request):
    """The catalogue's rows with the page's filters (an invalid filter value is ignored, as on the page)."""
    filterset = InitiativeCatalogueFilter(request.GET or None, queryset=selectors.public_initiatives())
    return filterset.qs


@require_GET
def catalogue_csv(request):
    """The catalogue as open data, in CSV (streamed; formula-like text quoted)."""
    response = StreamingHttpResponse(open_data.csv_stream(open_data.rows(_open_data(request))),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="danh-muc-mo-hinh-{timezone.localdate():%d-%m-%Y}.csv"'
    return response


@require_GET
def catalogue_json(request):
    """The catalogue as open data, in JSON (streamed)."""
    meta = {"title": _("Catalogue of “Skilful mass mobilisation” models"), "generated": timezone.now(),
            "filters": {key: value for key, value in request.GET.items() if value}}
    return StreamingHttpResponse(open_data.json_stream(open_data.rows(_open_data(request)), meta),
                                 content_type="application/json; charset=utf-8")


@require_GET
def catalogue_search_json(request):
    """Accepted models matching a search, for the "replicates" picker of the registration form."""
    query = request.GET.get("q", "")
    results = []
    if len("".join(search_words(query))) >= 2:
        found = search(Initiative.objects.replication_sources(), query)
        many = cached_for_list(found, "many-matches", lambda: has_many_matches(found))
        rows = best_first(found, query, "-registration_year", "-id", many=many).select_related("organization")[:20]
        results = [{"id": i.pk, "label": f"{i.code} – {i.title}", "organization": i.organization.name}
                   for i in rows]
    return JsonResponse({"results": results})


@require_GET
@cache_control(max_age=3600, public=True)
def catalogue_units_json(request):
    """The units of a province of today's map, for the catalogue's commune list to narrow as soon as the
    province is chosen. Public data (unit names), like the list the page renders itself."""
    units = selectors.province_communes(request.GET.get("province", ""))
    if units is None:
        raise Http404
    return JsonResponse({"units": [{"id": unit.pk, "name": unit.name} for unit in units]})


@require_GET
def initiative_detail(request, code: str):
    initiative = selectors.public_initiative_detail(code)
    if initiative is None:
        raise Http404
    return render(request, "portal/detail.html", {
        "initiative": initiative,
        "results": initiative.yearly_results.order_by("-year"),
        "source": selectors.public_replication_source(initiative),
        "replications": selectors.public_replications(initiative),
        "ratings": selectors.ratings_by_year(initiative),
        "commendations": selectors.commendations_of(initiative),
    })


# --- Staff area -------------------------------------------------------------------------------------------


def _organization_or_none(request):
    return selectors.own_organization(request.user)


def _own_initiative(request, pk: int, *, for_change: bool = True) -> Initiative:
    """An initiative in the user's scope (404 otherwise); changing it needs the owning organisation."""
    initiative = get_object_or_404(
        Initiative.objects.visible_to(request.user).select_related("organization", "field", "field__parent"),
        pk=pk,
    )
    if for_change and not policies.acts_for_owner(request.user, initiative):
        raise PermissionDenied
    return initiative


@login_required
def staff_initiative_list(request):
    organization = _organization_or_none(request)
    if organization is None:
        if has_council_seat(request.user) and not request.user.has_module_perms("models_registry"):
            # Council members who only score land on their conferences.
            return redirect("evaluations:my_conferences")
        if uses_admin(request.user):
            # Reviewers and the provincial board land here after logging in: their work is in the admin.
            return redirect("admin:index")
        return render(request, "portal/staff/no_organization.html", status=403)
    rows = selectors.organization_initiatives(request.user, organization.pk)
    page = LargeListPaginator(rows, _page_size(request, STAFF_PAGE_SIZE)).get_page(request.GET.get("page"))
    return render(request, "portal/staff/list.html", {
        "organization": organization, "page": page,
        "figures": selectors.organization_figures(request.user, organization.pk),
    })


@login_required
def staff_initiative_create(request):
    organization = _organization_or_none(request)
    if organization is None:
        return render(request, "portal/staff/no_organization.html", status=403)
    form = InitiativeForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = initiative_create(acting_user=request.user, organization=organization, **form.values())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if request.POST.get("action") == "submit":
                return _submit_and_redirect(request, initiative)
            messages.success(request, _("The draft is saved. You can come back to it, add files and submit it."))
            return redirect("portal:staff_initiative", pk=initiative.pk)
    return render(request, "portal/staff/form.html", {"form": form, "organization": organization})


@login_required
def staff_initiative_edit(request, pk: int):
    initiative = _own_initiative(request, pk)
    if not initiative.is_editable_by_owner:
        messages.info(request, _("This registration is %(status)s and can no longer be edited.")
                      % {"status": initiative.get_status_display()})
        return redirect("portal:staff_initiative", pk=initiative.pk)
    form = InitiativeForm(request.POST or None, instance=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = initiative_update(
                initiative=initiative, acting_user=request.user, values=form.values(),
                expected_version=form.cleaned_data["version"] or 0,
            )
        except StaleEditError as error:
            form.add_error(None, error.messages)
            form.stale = True
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if request.POST.get("action") == "submit":
                return _submit_and_redirect(request, initiative)
            messages.success(request, _("Your changes are saved."))
            return redirect("portal:staff_initiative", pk=initiative.pk)
    return render(request, "portal/staff/form.html", {
        "form": form, "initiative": initiative, "organization": initiative.organization,
        "return_reason": _latest_reason(initiative),
    })


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _latest_reason(initiative: Initiative) -> str:
    if initiative.status not in (InitiativeStatus.RETURNED, InitiativeStatus.REJECTED):
        return ""
    transition = initiative.transitions.filter(to_status=initiative.status).order_by("-created_at", "-id").first()
    return transition.reason if transition else ""


@login_required
def staff_initiative(request, pk: int):
    initiative = _own_initiative(request, pk, for_change=False)
    owner = policies.acts_for_owner(request.user, initiative)
    results = list(initiative.yearly_results.order_by("-year"))
    commendations = selectors.commendations_of(initiative)
    return render(request, "portal/staff/detail.html", {
        "initiative": initiative,
        "owner": owner,
        "reason": _latest_reason(initiative),
        "attachments": initiative.attachments.order_by("uploaded_at"),
        "results": results,
        "ratings": selectors.ratings_by_year(initiative),
        "commendations": commendations,
        "printable": selectors.printable_decisions(request.user, commendations),
        "transitions": initiative.transitions.select_related("actor").order_by("-created_at", "-id"),
        "attachment_form": AttachmentForm() if owner else None,
        "max_bytes": settings.ATTACHMENT_MAX_BYTES,
        "result_form": YearlyResultForm(initiative=initiative, reported=results)
        if owner and initiative.status == InitiativeStatus.ACCEPTED else None,
    })


def post_only(page_of):
    """For the addresses forms send to: a POST does the work; a GET (a bookmark, a reload, an address typed or
    shared) leads back to the page the form is on, with a short message, and only within the user's scope
    (`page_of` raises 404 outside it); any other method gets a Vietnamese 405 page."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk: int):
            if request.method == "POST":
                return view(request, pk)
            if request.method in ("GET", "HEAD"):
                url = page_of(request, pk)
                messages.info(request, _("That address only receives a form; here is the page the form is on."))
                return redirect(url)
            response = render(request, "405.html", status=405)
            response["Allow"] = "GET, HEAD, POST"
            return response

        return wrapper

    return decorator


def _initiative_page(anchor: str = ""):
    def page_of(request, pk: int) -> str:
        initiative = _own_initiative(request, pk, for_change=False)
        return reverse("portal:staff_initiative", args=[initiative.pk]) + anchor

    return page_of


def _attachment_page(request, pk: int) -> str:
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    return reverse("portal:staff_initiative", args=[attachment.initiative_id]) + "#tep"


def _submit_and_redirect(request, initiative: Initiative):
    try:
        initiative_submit(initiative=initiative, acting_user=request.user)
    except AlreadySubmitted as notice:
        messages.info(request, " ".join(notice.messages))
    except WorkflowError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The registration is submitted to the reviewing board."))
    return redirect("portal:staff_initiative", pk=initiative.pk)


@login_required
@post_only(_initiative_page())
def staff_initiative_submit(request, pk: int):
    """Idempotent: a second POST (a double click) finds the registration submitted and does nothing."""
    return _submit_and_redirect(request, _own_initiative(request, pk))


def _declared_size(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


@login_required
@post_only(_initiative_page("#tep"))
def staff_attachment_upload(request, pk: int):
    initiative = _own_initiative(request, pk)
    if _declared_size(request) > settings.ATTACHMENT_MAX_BYTES + 64 * 1024:
        # Refuse an oversized upload before reading it (the form adds a little to the file's own size).
        form = AttachmentForm(request.POST or None)
        form.is_valid()
        form.add_error("file", ValidationError(_("The file is %(size)s; files may be at most %(max)s.") % {
            "size": filesizeformat(_declared_size(request)), "max": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}))
        return render(request, "portal/staff/attachment_form.html", {
            "initiative": initiative, "form": form, "max_bytes": settings.ATTACHMENT_MAX_BYTES,
        }, status=413)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_add(initiative=initiative, acting_user=request.user, uploaded=form.cleaned_data["file"],
                           kind=form.cleaned_data["kind"])
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(request, _("The file is attached."))
            return redirect(reverse("portal:staff_initiative", args=[initiative.pk]) + "#tep")
    return render(request, "portal/staff/attachment_form.html", {
        "initiative": initiative, "form": form, "max_bytes": settings.ATTACHMENT_MAX_BYTES,
    }, status=400)


@login_required
@post_only(_attachment_page)
def staff_attachment_delete(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user).select_related("initiative"), pk=pk)
    try:
        attachment_remove(attachment=attachment, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file is removed."))
    return redirect(reverse("portal:staff_initiative", args=[attachment.initiative_id]) + "#tep")


@login_required
@require_GET
def attachment_download(request, pk: int):
    """A private file, served only to those whose scope covers its initiative."""
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    return attachment_response(attachment)


@login_required
@post_only(_initiative_page("#ket-qua"))
def staff_yearly_result(request, pk: int):
    initiative = _own_initiative(request, pk)
    form = YearlyResultForm(request.POST, initiative=initiative, reported=initiative.yearly_results.all())
    if form.is_valid():
        try:
            yearly_result_save(initiative=initiative, acting_user=request.user, year=form.cleaned_data["year"],
                               values=form.values())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The results of %(year)s are saved.") % {"year": form.cleaned_data["year"]})
            return redirect(reverse("portal:staff_initiative", args=[initiative.pk]) + "#ket-qua")
    return render(request, "portal/staff/result_form.html", {"initiative": initiative, "form": form}, status=400)
