"""Managing conferences in the admin: the host's board sets up the council and the nominations, opens the
scoring and closes it; the criteria and the rating scale are reference data. Council members score on
their own pages (evaluations.views). Every save goes through evaluations.services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from models_registry.formatting import decimal_text, person_name
from models_registry.models import ActivityField, AdministrativeUnit, Initiative, InitiativeStatus, Lifecycle
from models_registry.scope import UserScope, users_visible_to
from models_registry.scoped_admin import (
    FoldedSearchMixin,
    ReadOnlyMixin,
    ScopedAdminMixin,
    ScopedQuerysetMixin,
    workflow_message,
    year_filter,
)
from models_registry.search import search

from . import policies, services
from .models import (
    Conference,
    ConferenceStatus,
    CouncilMember,
    CriteriaSet,
    Criterion,
    Nomination,
    Rating,
    ScoreSheet,
)


def points(value) -> str:
    return decimal_text(value, empty="–")


# --- Criteria and the rating scale ---------------------------------------------------------------------


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ("order", "name", "max_points", "guidance")
    extra = 0
    formfield_overrides = {}

    def _editable(self, request, obj):
        return obj is None or not obj.is_frozen

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj) and super().has_delete_permission(request, obj)


@admin.register(CriteriaSet)
class CriteriaSetAdmin(admin.ModelAdmin):
    list_display = ("name", "max_total_display", "criteria_count", "conference_count", "frozen")
    fields = ("name", "description", "disagreement_spread")
    inlines = [CriterionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            criteria_number=Count("criteria", distinct=True), conference_number=Count("conferences", distinct=True))

    @admin.display(description=_("maximum total"))
    def max_total_display(self, obj):
        return points(obj.max_total)

    @admin.display(description=_("criteria"))
    def criteria_count(self, obj):
        return obj.criteria_number

    @admin.display(description=_("used by conferences"))
    def conference_count(self, obj):
        return obj.conference_number

    @admin.display(description=_("frozen"), boolean=True)
    def frozen(self, obj):
        return obj.is_frozen

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return False  # conferences keep the set they were scored with

    def save_model(self, request, obj, form, change):
        services.criteria_set_save(acting_user=request.user, criteria_set=obj)

    def save_formset(self, request, form, formset, change):
        saved = formset.save(commit=False)
        services.criteria_save(acting_user=request.user, criteria_set=form.instance, saved=saved,
                               deleted=list(formset.deleted_objects))


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("name", "min_percent", "counts_as_effective", "counts_as_highly_effective")
    fields = ("name", "min_percent", "counts_as_effective", "counts_as_highly_effective")

    def has_delete_permission(self, request, obj=None):
        return False  # results keep the rating they were given

    def save_model(self, request, obj, form, change):
        services.rating_save(acting_user=request.user, rating=obj)


# --- Conferences ---------------------------------------------------------------------------------------


class CouncilMemberInline(ScopedQuerysetMixin, admin.TabularInline):
    model = CouncilMember
    fields = ("user", "role", "position", "organization")
    autocomplete_fields = ("user", "organization")
    extra = 0

    def _open(self, request, obj):
        return obj is None or policies.can_change_setup(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return self._open(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._open(request, obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = users_visible_to(request.user).filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ConferenceForm(forms.ModelForm):
    class Meta:
        model = Conference
        fields = ("title", "kind", "year_from", "year_to", "host_unit", "held_on", "place", "criteria_set")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "year_to" in self.fields:  # read-only once scoring has started
            self.fields["year_to"].required = False


@admin.register(Conference)
class ConferenceAdmin(FoldedSearchMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = ConferenceForm
    list_display = ("title", "kind", "years", "host_unit", "held_on", "status", "progress")
    list_select_related = ("host_unit",)
    list_filter = ("status", "kind", "level", year_filter("year_to"))
    readonly_fields = ("status", "closed_at")
    inlines = [CouncilMemberInline]
    list_per_page = 50
    change_form_template = "admin/evaluations/conference/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            nomination_count=Count("nominations", distinct=True),
            scored_count=Count("nominations", filter=Q(nominations__sheets_submitted__gt=0), distinct=True))

    @admin.display(description=_("years"), ordering="year_to")
    def years(self, obj):
        return obj.years_label

    @admin.display(description=_("scored"))
    def progress(self, obj):
        return gettext("%(scored)s of %(total)s") % {"scored": obj.scored_count, "total": obj.nomination_count}

    def get_autocomplete_fields(self, request):
        # A board holds conferences for its own unit: a short list. Administrators pick among every unit.
        return ("host_unit",) if request.user.is_superuser else ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "host_unit":
            kwargs["queryset"] = policies.hostable_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        own = UserScope.of(request.user).unit
        year = timezone.localdate().year
        initial.setdefault("year_from", year)
        initial.setdefault("year_to", year)
        if own is not None:
            initial.setdefault("host_unit", own.pk)
            initial.setdefault("title", gettext("Conference evaluating the “Dân vận khéo” models of %(year)s – "
                                                "%(unit)s") % {"year": year, "unit": own.name})
        default_set = services.default_criteria_set()
        if default_set is not None:
            initial.setdefault("criteria_set", default_set.pk)
        return initial

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != ConferenceStatus.PREPARING:
            readonly += ["host_unit", "criteria_set", "kind", "year_from", "year_to"]
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and not policies.can_change_setup(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a conference stays in the record; a mistaken one is left without nominations

    def save_model(self, request, obj, form, change):
        services.conference_save(acting_user=request.user, conference=obj)

    def save_formset(self, request, form, formset, change):
        members = formset.save(commit=False)
        for member in formset.deleted_objects:
            services.member_remove(acting_user=request.user, member=member)
        for member in members:
            member.conference = form.instance
            services.member_save(acting_user=request.user, member=member)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            user = request.user
            context["conference_actions"] = [
                (label, reverse("admin:evaluations_conference_status", args=[obj.pk, action]))
                for action, label, allowed in (
                    ("open", gettext("Open the scoring"), policies.can_open_scoring(user, obj)),
                    ("close", gettext("Close the conference"), policies.can_close(user, obj)),
                    ("reopen", gettext("Reopen the conference"), policies.can_reopen(user, obj)),
                ) if allowed
            ]
            context["nominate_url"] = (reverse("admin:evaluations_conference_nominate", args=[obj.pk])
                                       if policies.can_change_setup(user, obj) else "")
            context["nominations_url"] = (reverse("admin:evaluations_nomination_changelist")
                                          + f"?conference__id__exact={obj.pk}")
            context["nomination_count"] = obj.nominations.count()
            context["page_links"] = _page_links(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- status changes and nominating: pages of their own, buttons on the change page ---------------------

    def get_urls(self):
        return [
            path("<path:object_id>/trang-thai/<str:action>/", self.admin_site.admin_view(self.status_view),
                 name="evaluations_conference_status"),
            path("<path:object_id>/de-cu/", self.admin_site.admin_view(self.nominate_view),
                 name="evaluations_conference_nominate"),
            *super().get_urls(),
        ]

    def status_view(self, request, object_id, action):
        labels = {"open": gettext("Open the scoring"), "close": gettext("Close the conference"),
                  "reopen": gettext("Reopen the conference")}
        if action not in labels:
            raise Http404
        conference = self.get_object(request, object_id)  # 404 outside the scope
        if conference is None:
            raise Http404
        change_url = reverse("admin:evaluations_conference_change", args=[conference.pk])
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        form = StatusForm(request.POST or None, needs_reason=action == "reopen",
                          initial={"version": conference.version})
        if request.method == "POST" and form.is_valid():
            call = {"open": services.conference_open_scoring, "close": services.conference_close,
                    "reopen": services.conference_reopen}[action]
            extra = {"reason": form.cleaned_data["reason"]} if action == "reopen" else {}
            try:
                call(acting_user=request.user, conference=conference,
                     expected_version=form.cleaned_data["version"], **extra)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, workflow_message(error), messages.ERROR)
            else:
                conference.refresh_from_db()
                self.message_user(request, gettext("“%(title)s” is now %(status)s.") % {
                    "title": conference.title, "status": conference.get_status_display()}, messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "original": conference,
                   "title": labels[action], "form": form, "change_url": change_url, "action": action,
                   "unscored": conference.nominations.filter(sheets_submitted=0).count()}
        return TemplateResponse(request, "admin/evaluations/conference/status_form.html", context)

    def nominate_view(self, request, object_id):
        conference = self.get_object(request, object_id)
        if conference is None:
            raise Http404
        if not policies.can_change_setup(request.user, conference):
            raise PermissionDenied
        change_url = reverse("admin:evaluations_conference_change", args=[conference.pk])
        form = NominateForm(request.POST or request.GET or None, conference=conference, user=request.user)
        candidates = form.candidates() if form.is_bound and form.is_valid() else None
        if request.method == "POST" and candidates is not None and "confirm" in request.POST:
            try:
                added, skipped = services.nominate(acting_user=request.user, conference=conference,
                                                   initiatives=list(candidates))
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, workflow_message(error), messages.ERROR)
                return HttpResponseRedirect(change_url)
            self.message_user(request, gettext("%(added)s models nominated.") % {"added": len(added)},
                              messages.SUCCESS)
            for initiative, why in skipped[:20]:
                self.message_user(request, gettext("%(code)s left out: %(why)s.") % {"code": initiative.code,
                                                                                      "why": why}, messages.WARNING)
            return HttpResponseRedirect(change_url)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "original": conference,
                   "title": gettext("Nominate models"), "form": form, "change_url": change_url,
                   "candidate_count": candidates.count() if candidates is not None else None,
                   "preview": list(candidates[:50]) if candidates is not None else []}
        return TemplateResponse(request, "admin/evaluations/conference/nominate.html", context)


def _page_links(conference):
    """The council's scoring page and the minutes, when the scoring pages are installed."""
    links = []
    for name, label in (("evaluations:conference", gettext("Council's scoring page")),
                        ("evaluations:minutes", gettext("Minutes"))):
        try:
            links.append((label, reverse(name, args=[conference.pk])))
        except NoReverseMatch:
            continue
    return links


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, needs_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_reason = needs_reason
        if needs_reason:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = gettext("Say why the conference is reopened.")
        else:
            del self.fields["reason"]


class NominateForm(forms.Form):
    """Choose accepted models of the host's area: by codes, or all those matching a few filters."""

    codes = forms.CharField(label=_("codes"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("One code per line, e.g. DVK-51-2025-00012; or leave empty and use the "
                                        "filters below."))
    field = forms.ModelChoiceField(label=_("field"), queryset=ActivityField.objects.all(), required=False)
    registration_year = forms.IntegerField(label=_("registration year"), required=False, min_value=2009,
                                           max_value=2100)
    unit = forms.ModelChoiceField(label=_("administrative unit"), queryset=AdministrativeUnit.objects.none(),
                                  required=False)
    q = forms.CharField(label=_("title contains"), required=False)

    def __init__(self, *args, conference, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.conference, self.user = conference, user
        host = conference.host_unit
        self.fields["unit"].queryset = AdministrativeUnit.objects.filter(
            Q(pk=host.pk) | Q(parent=host) | Q(current_unit=host, level=host.level)).alphabetical()

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("codes", "field", "registration_year", "unit", "q")):
            raise ValidationError(gettext("Type codes or choose at least one filter."))
        return data

    def candidates(self):
        """Accepted, active models of the host's area that are not yet before the conference."""
        data = self.cleaned_data
        host = self.conference.host_unit
        queryset = (Initiative.objects.visible_to(self.user)
                    .within(host)
                    .filter(status=InitiativeStatus.ACCEPTED, lifecycle=Lifecycle.ACTIVE)
                    .exclude(nominations__conference=self.conference)
                    .select_related("organization", "unit", "field"))
        codes = [code.strip() for code in (data.get("codes") or "").split() if code.strip()]
        if codes:
            queryset = queryset.filter(code__in=codes)
        if data.get("field"):
            field = data["field"]
            queryset = queryset.filter(Q(field=field) | Q(field__parent=field))
        if data.get("registration_year"):
            queryset = queryset.filter(registration_year=data["registration_year"])
        if data.get("unit"):
            queryset = queryset.within(data["unit"])
        if data.get("q"):
            queryset = search(queryset, data["q"])
        return queryset.order_by("code")


# --- Nominations and their results ---------------------------------------------------------------------


class ScoreSheetInline(ReadOnlyMixin, ScopedQuerysetMixin, admin.TabularInline):
    model = ScoreSheet
    fields = ("member", "status", "total_display", "entered_by_display", "submitted_at")
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("total"))
    def total_display(self, obj):
        return points(obj.total)

    @admin.display(description=_("entered by"))
    def entered_by_display(self, obj):
        return person_name(obj.entered_by) if obj.entered_by else ""


class ConferenceFilter(admin.SimpleListFilter):
    """The conferences of the person's scope, newest first (not every conference of the country)."""

    title = _("conference")
    parameter_name = "conference__id__exact"

    def lookups(self, request, model_admin):
        return [(str(c.pk), f"{c.title} ({c.years_label})")
                for c in Conference.objects.visible_to(request.user).order_by("-year_to", "-pk")[:50]]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(conference_id=value) if value and value.isdigit() else queryset


class NominationForm(forms.ModelForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Nomination
        fields = ("override_rating", "override_reason", "recognised", "proposed_upward",
                  "proposed_for_commendation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if data.get("override_rating") and not (data.get("override_reason") or "").strip():
            self.add_error("override_reason", gettext(
                "Write the reason why the council rates this model differently from its scores."))
        return data


@admin.register(Nomination)
class NominationAdmin(FoldedSearchMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = NominationForm
    search_text_lookup = "initiative__search_text"
    search_within = {"initiative__was_nominated": True}
    list_display = ("rank", "initiative_display", "conference", "mean_display", "spread_display", "rating",
                    "recognised", "proposed_upward", "proposed_for_commendation", "sheets_submitted")
    list_display_links = ("initiative_display",)
    list_select_related = ("initiative", "conference", "rating", "conference__criteria_set")
    list_filter = (ConferenceFilter, "conference__status", "rating", "recognised", "proposed_upward",
                   "proposed_for_commendation")
    # The newest conferences first (their ids grow with them), by rank: "conference" alone would follow the
    # conference's own order, a join and a sort of every nomination of the scope.
    ordering = ("-conference_id", "rank", "pk")
    inlines = [ScoreSheetInline]
    list_per_page = 50
    readonly_fields = ("conference", "initiative_link", "proposed_by_display", "sheets_submitted", "mean_display",
                       "spread_display", "computed_rating", "rating", "rank")
    fieldsets = (
        (None, {"fields": ("conference", "initiative_link", "proposed_by_display")}),
        (_("Scores"), {"fields": ("sheets_submitted", "mean_display", "spread_display", "computed_rating",
                                  "rank")}),
        (_("The council's decisions"), {"fields": ("override_rating", "override_reason", "rating", "recognised",
                                                   "proposed_upward", "proposed_for_commendation",
                                                   "expected_version")}),
    )

    @admin.display(description=_("initiative"), ordering="initiative__code")
    def initiative_display(self, obj):
        return f"{obj.initiative.code} – {obj.initiative.title}"

    @admin.display(description=_("initiative"))
    def initiative_link(self, obj):
        url = reverse("admin:models_registry_initiative_change", args=[obj.initiative_id])
        return format_html('<a href="{}">{} – {}</a>', url, obj.initiative.code, obj.initiative.title)

    @admin.display(description=_("proposed by the conference"))
    def proposed_by_display(self, obj):
        source = obj.proposed_by
        return f"{source.conference} ({source.conference.host_unit})" if source else "–"

    @admin.display(description=_("mean score"), ordering="mean_score")
    def mean_display(self, obj):
        return points(obj.mean_score)

    @admin.display(description=_("spread between members"))
    def spread_display(self, obj):
        if obj.spread is None:
            return "–"
        if obj.disagreement:
            return format_html('<strong class="danvan-warning">{} ⚠ {}</strong>', points(obj.spread),
                               gettext("members disagree widely"))
        return points(obj.spread)

    def has_add_permission(self, request):
        return False  # nominations are added from the conference ("Nominate models")

    def has_change_permission(self, request, obj=None):
        if obj is not None and not policies.can_decide_results(request.user, obj.conference):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not policies.can_change_setup(request.user, obj.conference):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        decisions = {name: form.cleaned_data.get(name) for name in services.RESULT_FIELDS}
        decisions["override_reason"] = decisions["override_reason"] or ""
        services.result_decide(acting_user=request.user, nomination=obj,
                               expected_version=form.cleaned_data.get("expected_version"), **decisions)

    def delete_model(self, request, obj):
        services.nomination_remove(acting_user=request.user, nomination=obj)


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyMixin, FoldedSearchMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The record of every sheet: who scored, who typed it, when it was submitted."""

    search_text_lookup = "nomination__initiative__search_text"
    search_within = {"nomination__initiative__was_nominated": True}
    list_display = ("nomination", "member", "status", "total", "entered_by", "submitted_at")
    list_select_related = ("nomination__initiative", "nomination__conference", "member__user", "entered_by")
    list_filter = ("status",)
    list_per_page = 50
    # Newest first, served by the primary key index: the model's order (nomination, then its conference's
    # order) joins and sorts every sheet of the scope before showing fifty.
    ordering = ("-pk",)
