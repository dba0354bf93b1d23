"""The reports' pages for staff: the workbook's form, a job's progress and file, the statistics.

Every page asks for the report permission; a job and its file are their owner's only (404 for anyone else).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from . import jobs, policies, statistics
from .forms import ReportForm
from .models import JobStatus, ReportJob
from .workbook import XLSX_CONTENT_TYPE


def _require_permission(request) -> None:
    if not policies.can_export(request.user):
        raise PermissionDenied


def _own_job(request, pk: int) -> ReportJob:
    _require_permission(request)
    job = ReportJob.objects.owned_by(request.user).select_related("scope", "scope__edition").filter(pk=pk).first()
    if job is None:
        raise Http404
    return jobs.refresh(job)


@login_required
@require_http_methods(["GET", "POST"])
def export(request):
    """The form; a valid request builds the workbook now (small) or in the background (large)."""
    _require_permission(request)
    form = ReportForm(request.POST or None, user=request.user, initial=request.GET or None)
    if request.method == "POST" and form.is_valid():
        job = jobs.request_report(user=request.user, query=form.query())
        if job.status == JobStatus.DONE:
            return redirect("reports:job_download", pk=job.pk)
        return redirect("reports:job", pk=job.pk)
    recent = ReportJob.objects.owned_by(request.user).select_related("scope", "scope__edition")[:10]
    return render(request, "reports/export.html", {"form": form, "recent": recent})


@login_required
@require_GET
def job(request, pk: int):
    return render(request, "reports/job.html", {"job": _own_job(request, pk)})


@login_required
@require_GET
def job_status(request, pk: int):
    job = _own_job(request, pk)
    return JsonResponse({
        "status": job.status, "status_label": job.get_status_display(), "progress": job.progress,
        "rows_done": job.rows_done, "rows_total": job.rows_total, "finished": job.is_finished,
        "download_url": reverse("reports:job_download", args=[job.pk]) if job.status == JobStatus.DONE else None,
    })


@login_required
@require_GET
def job_download(request, pk: int):
    job = _own_job(request, pk)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404
    name = job.file.name.rsplit("/", 1)[-1].split("-", 1)[-1]
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


@login_required
@require_GET
def statistics_page(request):
    """Charts and tables of the same figures as the workbook, for the same question."""
    _require_permission(request)
    data = request.GET or None
    if data is None:
        # Opened from the menu: the figures of the person's own unit this year, at once.
        defaults = ReportForm(user=request.user)
        data = {name: defaults[name].initial for name in ("scope", "year_from", "map")}
        data = data if all(value is not None for value in data.values()) else None
    form = ReportForm(data, user=request.user)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        query = form.query()
        context.update(statistics.cached_page_data(query))
        context["download_query"] = urlencode(form.as_params())
        context["scope_key"] = form.as_params()["scope"]
    return render(request, "reports/statistics.html", context)
