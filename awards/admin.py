"""The commendation register in the admin: proposals (by hand or from a closed conference's results), the
decisions that approve them, rejections. Every write goes through awards.services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evaluations.models import Conference, ConferenceStatus, Nomination
from models_registry.formatting import vnd
from models_registry.scoped_admin import (
    FoldedSearchMixin,
    ReadOnlyMixin,
    ScopedAdminMixin,
    ScopedQuerysetMixin,
    unit_filter,
    workflow_message,
    year_filter,
)

from . import policies, services
from .models import AwardForm, Commendation, Decision


@admin.register(AwardForm)
class AwardFormAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "issuing_authority", "recipients", "min_rating", "valid_from", "valid_until")
    list_select_related = ("min_rating",)
    list_filter = ("level", "recipients")
    fields = ("name", "level", "issuing_authority", "recipients", "min_rating", "valid_from", "valid_until", "order")

    def has_delete_permission(self, request, obj=None):
        return False  # the register keeps the forms it used

    def save_model(self, request, obj, form, change):
        services.award_form_save(acting_user=request.user, award_form=obj)


# --- The register --------------------------------------------------------------------------------------


class CommendationForm(forms.ModelForm):
    class Meta:
        model = Commendation
        fields = ("recipient_kind", "organization", "person_name", "person_position", "initiative", "award_form",
                  "year", "justification")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "year" in self.fields:
            self.fields["year"].initial = timezone.localdate().year


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("decision number"), max_length=60,
                             help_text=_("e.g. 1234/QĐ-UBND"))
    date = forms.DateField(label=_("decision date"))
    signer = forms.CharField(label=_("signed by"), max_length=200)
    issuing_authority = forms.CharField(label=_("issuing authority"), max_length=300, required=False,
                                        help_text=_("Empty: the form's authority."))
    prize_amount = forms.IntegerField(label=_("prize for each recipient (VND)"), min_value=0, required=False,
                                      help_text=_("As decided; it follows the base salary of the day."))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Commendation)
class CommendationAdmin(FoldedSearchMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = CommendationForm
    list_display = ("recipient_display", "recipient_kind", "award_form", "year", "unit", "status", "decision_link",
                    "prize_display")
    list_select_related = ("organization", "unit", "award_form", "decision")
    list_filter = ("status", year_filter("year"), "award_form", "award_form__level", "recipient_kind",
                   unit_filter("unit"))
    autocomplete_fields = ("organization", "initiative")
    actions = ["approve_selected", "reject_selected"]
    list_per_page = 50
    change_list_template = "admin/awards/commendation/change_list.html"

    @admin.display(description=_("recipient"), ordering="organization__name")
    def recipient_display(self, obj):
        if obj.person_name:
            return f"{obj.person_name} ({obj.person_position}, {obj.organization})" if obj.person_position \
                else f"{obj.person_name} ({obj.organization})"
        return obj.organization.name

    @admin.display(description=_("decision"), ordering="decision__date")
    def decision_link(self, obj):
        if obj.decision is None:
            return obj.reject_reason and gettext("Rejected: %(reason)s") % {"reason": obj.reject_reason} or "–"
        url = reverse("admin:awards_decision_change", args=[obj.decision_id])
        return format_html('<a href="{}">{}</a>', url, obj.decision)

    @admin.display(description=_("prize (VND)"), ordering="prize_amount")
    def prize_display(self, obj):
        return vnd(obj.prize_amount) if obj.prize_amount is not None else ""

    def has_change_permission(self, request, obj=None):
        # A proposal is decided by the actions; its page stays as proposed.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(policies.DECIDE):
            actions.pop("approve_selected", None)
            actions.pop("reject_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        services.propose(acting_user=request.user, commendation=obj)

    # --- deciding: one page for a decision, one for a reason --------------------------------------------------

    def _selected(self, request, queryset):
        return list(queryset.select_related("organization", "award_form"))

    @admin.action(description=_("Approve the selected proposals on one decision"))
    def approve_selected(self, request, queryset):
        rows = self._selected(request, queryset)
        form = DecisionForm(request.POST if "confirm" in request.POST else None)
        if "confirm" in request.POST and form.is_valid():
            try:
                decision = services.approve(acting_user=request.user, commendations=rows, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, workflow_message(error), messages.ERROR)
            else:
                self.message_user(request, gettext("%(decision)s: %(count)s recipients commended.") % {
                    "decision": decision, "count": len(rows)}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:awards_decision_change", args=[decision.pk]))
            return None
        return self._confirm_page(request, rows, form, "approve_selected", gettext("Approve on one decision"))

    @admin.action(description=_("Reject the selected proposals"))
    def reject_selected(self, request, queryset):
        rows = self._selected(request, queryset)
        form = RejectForm(request.POST if "confirm" in request.POST else None)
        if "confirm" in request.POST and form.is_valid():
            done = 0
            for row in rows:
                try:
                    services.reject(acting_user=request.user, commendation=row, reason=form.cleaned_data["reason"])
                    done += 1
                except (ValidationError, PermissionDenied) as error:
                    self.message_user(request, f"{row.recipient_name}: {workflow_message(error)}", messages.ERROR)
            if done:
                self.message_user(request, gettext("%(count)s proposals rejected.") % {"count": done},
                                  messages.SUCCESS)
            return None
        return self._confirm_page(request, rows, form, "reject_selected", gettext("Reject the proposals"))

    def _confirm_page(self, request, rows, form, action, title):
        context = {**self.admin_site.each_context(request), "opts": self.opts, "title": title, "rows": rows,
                   "form": form, "action": action, "action_checkbox_name": ACTION_CHECKBOX_NAME}
        return TemplateResponse(request, "admin/awards/commendation/decide.html", context)

    # --- proposing from a closed conference's results ---------------------------------------------------------

    def get_urls(self):
        return [path("tu-ket-qua-hoi-nghi/", self.admin_site.admin_view(self.from_results_view),
                     name="awards_commendation_from_results"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra = {"from_results_url": reverse("admin:awards_commendation_from_results")
                 if self.has_add_permission(request) else ""}
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    def from_results_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        conferences = Conference.objects.visible_to(request.user).filter(status=ConferenceStatus.CLOSED)
        form = FromResultsForm(request.POST or request.GET or None, conferences=conferences)
        nominations = []
        if form.is_bound and form.is_valid():
            conference = form.cleaned_data["conference"]
            nominations = list(Nomination.unscoped.filter(conference=conference).select_related(
                "initiative__organization", "rating").order_by("rank", "pk"))
            if request.method == "POST" and "confirm" in request.POST and not form.cleaned_data["award_form"]:
                form.add_error("award_form", gettext("Choose the award form to propose."))
            elif request.method == "POST" and "confirm" in request.POST:
                chosen = [n for n in nominations if str(n.pk) in request.POST.getlist("nomination")]
                try:
                    proposals = services.propose_from_results(acting_user=request.user, nominations=chosen,
                                                              award_form=form.cleaned_data["award_form"])
                except (ValidationError, PermissionDenied) as error:
                    self.message_user(request, workflow_message(error), messages.ERROR)
                else:
                    self.message_user(request, gettext("%(count)s proposals recorded.") % {"count": len(proposals)},
                                      messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:awards_commendation_changelist")
                                                + "?status__exact=proposed")
        context = {**self.admin_site.each_context(request), "opts": self.opts, "form": form,
                   "title": gettext("Propose for commendation from a conference's results"),
                   "nominations": nominations}
        return TemplateResponse(request, "admin/awards/commendation/from_results.html", context)


class FromResultsForm(forms.Form):
    conference = forms.ModelChoiceField(label=_("closed conference"), queryset=Conference.unscoped.none())
    award_form = forms.ModelChoiceField(label=_("award form"), queryset=AwardForm.objects.all(), required=False)

    def __init__(self, *args, conferences, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conference"].queryset = conferences.order_by("-year_to", "-pk")


# --- Decisions -----------------------------------------------------------------------------------------


class CommendationInline(ReadOnlyMixin, ScopedQuerysetMixin, admin.TabularInline):
    model = Commendation
    fields = ("recipient_kind", "organization", "person_name", "person_position", "initiative", "prize_amount")
    readonly_fields = fields
    extra = 0


@admin.register(Decision)
class DecisionAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Decisions are created by approving proposals; here they are listed and printed."""

    list_display = ("number", "date", "award_form", "issuing_authority", "signer", "recipient_count", "print_link")
    list_select_related = ("award_form",)
    list_filter = ("award_form", "award_form__level", year_filter("date__year"))
    search_fields = ("number", "signer")
    fields = ("number", "date", "signer", "issuing_authority", "award_form", "issuing_unit")
    inlines = [CommendationInline]
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(recipients=Count("commendations"))

    @admin.display(description=_("recipients"), ordering="recipients")
    def recipient_count(self, obj):
        return obj.recipients

    @admin.display(description=_("printable list"))
    def print_link(self, obj):
        try:
            url = reverse("awards:decision_print", args=[obj.pk])
        except NoReverseMatch:
            return ""
        return format_html('<a href="{}">{}</a>', url, gettext("Print"))
