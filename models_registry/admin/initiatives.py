"""Admin of initiatives and what hangs off them: yearly results, attachments, the transition log.

The admin stays thin: registering, editing and every status change call models_registry.services; a refusal
from a service (WorkflowError, PermissionDenied) is shown as an error message in Vietnamese.
"""

from __future__ import annotations

import functools

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import attachments, formatting, policies, selectors, services
from ..formatting import person_name
from ..models import (
    MOVEMENT_FIRST_YEAR,
    ActivityField,
    Attachment,
    Initiative,
    InitiativeStatus,
    InitiativeTransition,
    Lifecycle,
    YearlyResult,
)
from ..resources import InitiativeResource, YearlyResultResource
from ..scoped_admin import (
    ChoicesFilter,
    FoldedSearchMixin,
    HistoryRow,
    ReadOnlyMixin,
    ScopedAdminMixin,
    ScopedImportExportMixin,
    ScopedQuerysetMixin,
    unit_filter,
    workflow_message,
    year_filter,
)

TRANSITION_LABELS = {
    services.SUBMIT: _("Submit for review"),
    services.ACCEPT: _("Accept"),
    services.RETURN: _("Return for changes"),
    services.REJECT: _("Reject"),
    services.DISCONTINUE: _("Mark as discontinued"),
}
# Transitions that need a reason (and, to discontinue, a year) before they run.
NEEDS_REASON = (services.RETURN, services.REJECT, services.DISCONTINUE)
# Transitions that open a page first: to give the reason, or to confirm and add an optional note.
NEEDS_PAGE = (services.ACCEPT, *NEEDS_REASON)


def review_level_text(initiative: Initiative) -> str:
    """Whose review a submitted registration waits for, e.g. "reviewed by the province level: Tỉnh Quảng Ngãi"."""
    unit = initiative.review_unit
    return gettext("reviewed at %(level)s: %(unit)s") % {"level": unit.get_level_display(), "unit": unit}


class AwaitingMyReviewFilter(admin.SimpleListFilter):
    """"Waiting for my review", the list a reviewer opens on; "All" is an explicit choice (awaiting=all) so
    that choosing it does not open the reviewer's default again."""

    title = _("work to do")
    parameter_name = "awaiting"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [("me", _("waiting for my review"))]

    def choices(self, changelist):
        yield {
            "selected": self.value() in (None, self.ALL),
            "query_string": changelist.get_query_string({self.parameter_name: self.ALL}),
            "display": _("All"),
        }
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(pk__in=selectors.initiatives_awaiting_review(request.user).values("pk"))
        return queryset


class FieldListFilter(admin.RelatedFieldListFilter):
    """The fields with their standard field in one query (a sub-theme's name shows its parent)."""

    def field_choices(self, field, request, model_admin):
        return [(item.pk, str(item)) for item in ActivityField.objects.select_related("parent")]


class InitiativeAdminForm(forms.ModelForm):
    # The version the page was opened at: a save made from a stale page is refused, not silently merged.
    expected_version = forms.IntegerField(label=_("version"), widget=forms.HiddenInput, required=False)

    class Meta:
        model = Initiative
        fields = ("organization", *services.EDITABLE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        expected = cleaned.get("expected_version")
        if self.instance.pk and expected is not None and expected != self.instance.version:
            raise ValidationError(_("Someone saved this initiative after you opened it. Reload the page to see "
                                    "their changes, then make yours again."))
        return cleaned


class TransitionForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
                             required=False)
    year = forms.IntegerField(label=_("year discontinued"), required=False, min_value=MOVEMENT_FIRST_YEAR,
                              max_value=2100)

    def __init__(self, *args, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if action == services.ACCEPT:  # accepting needs no reason; a note for the unit is welcome
            self.fields["reason"].label = _("note (optional)")


def yearly_result_values(form) -> dict:
    """The figures of a yearly-result form, for services.yearly_result_save."""
    return {name: form.cleaned_data[name] for name in services.YEARLY_RESULT_FIELDS if name in form.cleaned_data}


class YearlyResultInline(ScopedQuerysetMixin, admin.TabularInline):
    """Saved row by row through services.yearly_result_save (InitiativeAdmin.save_formset)."""

    model = YearlyResult
    extra = 0
    fields = ("year", "is_running", "participants", "beneficiaries", "value_mobilised", "land_donated_m2",
              "workdays", "narrative")

    def _allowed(self, request, obj, permission):
        return permission and obj is not None and policies.can_report_results(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, obj, super().has_add_permission(request, obj))

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj, super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return False


class AttachmentInline(ReadOnlyMixin, ScopedQuerysetMixin, admin.TabularInline):
    """Files are listed here with a download link; they are added on the attachment page (checked upload)."""

    model = Attachment
    extra = 0
    fields = ("download", "kind", "size_display", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("admin:models_registry_attachment_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)

    @admin.display(description=_("size"))
    def size_display(self, obj):
        return filesizeformat(obj.size)  # "1,2 MB" rather than a count of bytes


class TransitionDisplayMixin:
    """Columns shared by the history inline and the transition log: labels and what the owner changed."""

    @admin.display(description=_("from"))
    def from_label(self, obj):
        return obj.from_label()

    @admin.display(description=_("to"))
    def to_label(self, obj):
        return obj.to_label()

    @admin.display(description=_("changed since the previous submission"))
    def changes_display(self, obj):
        if not obj.changes:
            return "–"
        return format_html(
            "<ul class=\"changes\">{}</ul>",
            format_html_join("", "<li><strong>{}</strong>: “{}” → “{}”</li>",
                             ((label, change.get("before", ""), change.get("after", ""))
                              for label, change in obj.changes.items())),
        )


class TransitionInline(ReadOnlyMixin, TransitionDisplayMixin, ScopedQuerysetMixin, admin.TabularInline):
    model = InitiativeTransition
    extra = 0
    fields = ("created_at", "from_label", "to_label", "actor", "reason", "changes_display")
    readonly_fields = fields
    verbose_name_plural = _("status history")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Initiative)
class InitiativeAdmin(ScopedImportExportMixin, FoldedSearchMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = InitiativeAdminForm
    resource_classes = [InitiativeResource]
    change_form_template = "admin/models_registry/initiative/change_form.html"
    # Fits a 1280 px screen beside the filters; on a phone the field and year columns are hidden (admin.css).
    list_display = ("code", "title_and_place", "status_display", "standard_field", "registration_year")
    list_display_links = ("code", "title_and_place")
    list_select_related = ("organization", "unit", "review_unit", "field", "field__parent")
    list_filter = (
        AwaitingMyReviewFilter, "status", "lifecycle", year_filter("registration_year", _("registration year")),
        unit_filter("unit"), "kind", "origin", ("field", FieldListFilter),
    )
    autocomplete_fields = ("organization", "replicated_from")
    inlines = (YearlyResultInline, AttachmentInline, TransitionInline)
    actions = ("accept_selected", "return_selected", "reject_selected", "submit_selected")
    list_per_page = 50
    # Newest first, served by the primary key index (the model's year-then-id order needs a sort of every row).
    ordering = ("-id",)
    fieldsets = (
        (None, {"fields": ("expected_version", "code", "title", "kind", "person_name", "person_position", "origin",
                           "replicated_from", "organization", "field", "registration_year", "start_date",
                           "end_date")}),
        (_("Registration form"), {"fields": ("situation", "objectives", "content_methods", "area_beneficiaries",
                                             "participating_forces", "resources", "budget_amount",
                                             "expected_outputs", "sustainability")}),
        (_("Contact"), {"fields": ("contact_name", "contact_phone", "contact_email")}),
        (_("Workflow"), {"fields": ("status", "unit", "review_unit", "submitted_at", "decided_at", "lifecycle",
                                    "discontinued_reason", "discontinued_year", "created_by", "version")}),
    )
    workflow_fields = ("code", "status", "unit", "review_unit", "submitted_at", "decided_at", "lifecycle",
                       "discontinued_reason", "discontinued_year", "created_by", "version")

    # --- the list -------------------------------------------------------------------------------------------

    @admin.display(description=_("title"), ordering="title")
    def title_and_place(self, obj):
        return format_html('{}<span class="danvan-sub">{} · {}</span>', obj.title, obj.organization.name,
                           obj.unit)

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj, user=None):
        """The status; a submitted registration says whose review it waits for (yours, or which level's)."""
        if obj.lifecycle == Lifecycle.DISCONTINUED:
            return obj.get_lifecycle_display()
        if obj.status != InitiativeStatus.SUBMITTED:
            return obj.get_status_display()
        waiting = (gettext("waiting for your review") if user is not None and policies.can_review(user, obj)
                   else review_level_text(obj))
        return format_html('{}<span class="danvan-sub">{}</span>', obj.get_status_display(), waiting)

    def get_list_display(self, request):
        # The status column depends on who looks: bind it to this request's user (the admin is shared).
        status = functools.wraps(self.status_display)(functools.partial(self.status_display, user=request.user))
        return [status if name == "status_display" else name for name in super().get_list_display(request)]

    @admin.display(description=_("field"), ordering="field__order")
    def standard_field(self, obj):
        return obj.field.standard_field.name

    def changelist_view(self, request, extra_context=None):
        """A reviewer opens the list on what waits for them; nothing waiting is said, not shown as empty."""
        if not request.GET and request.method == "GET" and self.has_review_permission(request) and (
            not request.user.is_superuser
        ):
            if selectors.initiatives_awaiting_review(request.user).exists():
                return HttpResponseRedirect(f"{request.path}?{AwaitingMyReviewFilter.parameter_name}=me")
            self.message_user(request, gettext("Nothing is waiting for your review."), messages.INFO)
        drafts = selectors.drafts_in_progress(request.user)
        if drafts and request.method == "GET":
            self.message_user(request, ngettext(
                "%(count)s draft is being written by the bodies of your area; you will see it once submitted.",
                "%(count)s drafts are being written by the bodies of your area; you will see them once submitted.",
                drafts) % {"count": formatting.thousands(drafts)}, messages.INFO)
        return super().changelist_view(request, extra_context)

    # --- rows and choices ---------------------------------------------------------------------------------

    def get_search_results(self, request, queryset, search_term):
        if request.path.endswith("/autocomplete/") and request.GET.get("field_name") == "replicated_from":
            # The picker of the replicated model offers what any registration may replicate.
            queryset = Initiative.objects.replication_sources()
        return super().get_search_results(request, queryset, search_term)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "replicated_from":
            kwargs["queryset"] = Initiative.objects.replication_sources()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # --- who may change what ------------------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        # The page stays "changeable" for yearly results on an accepted initiative; its registration fields
        # then are read-only (get_readonly_fields).
        return policies.can_edit_registration(request.user, obj) or policies.can_report_results(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is not None and allowed and not request.user.is_superuser:
            return policies.can_delete_draft(request.user, obj)
        return allowed

    # Shown instead of the raw field when the registration is read-only (money as 1.234.567 ₫).
    readonly_displays = {"budget_amount": "budget_amount_display"}

    @admin.display(description=_("budget (VND)"))
    def budget_amount_display(self, obj):
        return formatting.vnd(obj.budget_amount)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not policies.can_edit_registration(request.user, obj):
            return [self.readonly_displays.get(name, name) for _title, options in self.fieldsets
                    for name in options["fields"] if name != "expected_version"]
        if obj is not None:  # the registering organisation (and so the reviewer) is fixed once registered
            return (*self.workflow_fields, "organization")
        return self.workflow_fields

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # nothing of the workflow exists before the first save
            return self.fieldsets[:-1]
        if not policies.can_edit_registration(request.user, obj):  # read-only: no version to send back
            return tuple(
                (title, {**options, "fields": tuple(self.readonly_displays.get(name, name)
                                                    for name in options["fields"] if name != "expected_version")})
                for title, options in self.fieldsets
            )
        return self.fieldsets

    def has_review_permission(self, request):
        user = request.user
        return user.has_perm(policies.REVIEW_PERMISSION) or user.has_perm(policies.DECIDE_ANY_PERMISSION)

    def has_submit_permission(self, request):
        return request.user.has_perm("models_registry.add_initiative")

    # --- saving through the services ----------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            services.initiative_register(initiative=obj, acting_user=request.user)
            return
        values = {name: form.cleaned_data[name] for name in form.changed_data if name in services.EDITABLE_FIELDS}
        if not values or not policies.can_edit_registration(request.user, obj):
            return
        expected = form.cleaned_data.get("expected_version")
        current = Initiative.unscoped.get(pk=obj.pk)
        updated = services.initiative_update(
            initiative=current, acting_user=request.user, values=values,
            expected_version=current.version if expected is None else expected,
        )
        obj.version = updated.version

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not YearlyResult:
            if formset.has_changed():
                raise PermissionDenied  # the other inlines are read-only
            return
        for row in formset.forms:
            if row in formset.deleted_forms or not row.has_changed() or not row.cleaned_data:
                continue
            services.yearly_result_save(initiative=form.instance, acting_user=request.user,
                                        year=row.cleaned_data["year"], values=yearly_result_values(row))

    def delete_model(self, request, obj):
        services.initiative_delete_draft(initiative=obj, acting_user=request.user)

    def get_actions(self, request):
        # A bulk delete would bypass the service's checks: drafts are deleted one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            if obj.status == InitiativeStatus.SUBMITTED and not policies.can_review(request.user, obj):
                context["review_notice"] = gettext(
                    "This registration waits for the review of the %(level)s (%(unit)s): you can read it here, "
                    "the decision is theirs."
                ) % {"level": obj.review_unit.get_level_display(), "unit": obj.review_unit}
            context["transition_buttons"] = [
                {"action": action, "label": TRANSITION_LABELS[action], "needs_form": action in NEEDS_PAGE,
                 "url": reverse("admin:models_registry_initiative_transition", args=[obj.pk, action])}
                for action in services.initiative_available_transitions(request.user, obj)
            ]
            context["add_attachment_url"] = (
                reverse("admin:models_registry_attachment_add") + "?" + urlencode({"initiative": obj.pk})
                if request.user.has_perm("models_registry.add_attachment")
                and (policies.can_edit_registration(request.user, obj) or policies.can_report_results(request.user,
                                                                                                        obj))
                else ""
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- transitions: one page per transition, buttons on the change page ---------------------------------

    def get_urls(self):
        urls = super().get_urls()
        own = [
            path("<path:object_id>/transition/<str:action>/",
                 self.admin_site.admin_view(self.transition_view),
                 name="models_registry_initiative_transition"),
        ]
        return own + urls

    def transition_view(self, request, object_id, action):
        if action not in TRANSITION_LABELS:
            raise Http404
        initiative = self.get_object(request, object_id)  # 404 outside the scope
        if not self.has_view_or_change_permission(request, initiative):
            raise PermissionDenied
        change_url = reverse("admin:models_registry_initiative_change", args=[initiative.pk])
        if action not in services.initiative_available_transitions(request.user, initiative):
            self.message_user(request, gettext("You cannot do “%(action)s” on this initiative now.")
                              % {"action": TRANSITION_LABELS[action]}, messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method not in ("GET", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        form = TransitionForm(request.POST if request.method == "POST" else None, action=action,
                              initial={"year": timezone.localdate().year})
        if request.method == "POST" and form.is_valid():
            try:
                services.initiative_apply_transition(
                    initiative=initiative, acting_user=request.user, action=action,
                    reason=form.cleaned_data["reason"], year=form.cleaned_data["year"],
                )
            except ValidationError as error:
                if action in NEEDS_REASON and hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    self.message_user(request, workflow_message(error), messages.ERROR)
                    return HttpResponseRedirect(change_url)
            except PermissionDenied as error:
                self.message_user(request, workflow_message(error), messages.ERROR)
                return HttpResponseRedirect(change_url)
            else:
                initiative.refresh_from_db()
                self.message_user(request, gettext("“%(title)s” is now %(status)s.")
                                  % {"title": initiative.title, "status": self.status_text(initiative)},
                                  messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": initiative,
            "title": TRANSITION_LABELS[action],
            "action": action,
            "form": form,
            "needs_reason": action in NEEDS_REASON,
            "takes_note": action == services.ACCEPT,
            "needs_year": action == services.DISCONTINUE,
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/models_registry/initiative/transition_form.html", context)

    def history_rows(self, request, obj):
        rows = super().history_rows(request, obj)
        for transition in obj.transitions.select_related("actor"):
            label = (gettext("status: %(to)s") % {"to": transition.to_label()} if not transition.from_status
                     else gettext("status: %(from)s → %(to)s") % {"from": transition.from_label(),
                                                                   "to": transition.to_label()})
            rows.append(HistoryRow(
                at=transition.created_at, actor=person_name(transition.actor), action=label,
                note=transition.reason,
                changes=[(label_, change.get("before", ""), change.get("after", ""))
                         for label_, change in transition.changes.items()],
            ))
        return rows

    @staticmethod
    def status_text(initiative) -> str:
        if initiative.lifecycle == Lifecycle.DISCONTINUED:
            return initiative.get_lifecycle_display()
        return initiative.get_status_display()

    # --- bulk actions: each selected row goes through the same service, in scope only ----------------------

    def _run_bulk(self, request, queryset, action, reason=""):
        done, failed = 0, []
        for initiative in queryset.select_related("review_unit", "unit"):
            try:
                services.initiative_apply_transition(initiative=initiative, acting_user=request.user,
                                                     action=action, reason=reason)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                failed.append(f"{initiative.code}: {workflow_message(error)}")
        if done:
            self.message_user(request, ngettext("%(count)d initiative: %(action)s – done.",
                                                "%(count)d initiatives: %(action)s – done.", done)
                              % {"count": done, "action": TRANSITION_LABELS[action]}, messages.SUCCESS)
        for line in failed:
            self.message_user(request, line, messages.ERROR)

    def _bulk_with_reason(self, request, queryset, action):
        """A page listing the selected rows that asks for the reason (or, to accept, confirms with an optional
        note) before anything is done."""
        form = TransitionForm(request.POST if "apply" in request.POST else None, action=action)
        if "apply" in request.POST and form.is_valid():
            reason = (form.cleaned_data["reason"] or "").strip()
            if reason or action not in NEEDS_REASON:
                self._run_bulk(request, queryset, action, reason)
                return None
            form.add_error("reason", gettext("Give the reason; it is sent to the registering organisation."))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": TRANSITION_LABELS[action],
            "form": form,
            "takes_note": action == services.ACCEPT,
            "queryset": queryset,
            "action_name": request.POST.get("action"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/models_registry/initiative/bulk_reason.html", context)

    @admin.action(description=_("Accept the selected registrations"), permissions=["review"])
    def accept_selected(self, request, queryset):
        return self._bulk_with_reason(request, queryset, services.ACCEPT)

    @admin.action(description=_("Return the selected registrations for changes"), permissions=["review"])
    def return_selected(self, request, queryset):
        return self._bulk_with_reason(request, queryset, services.RETURN)

    @admin.action(description=_("Reject the selected registrations"), permissions=["review"])
    def reject_selected(self, request, queryset):
        return self._bulk_with_reason(request, queryset, services.REJECT)

    @admin.action(description=_("Submit the selected registrations for review"), permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._run_bulk(request, queryset, services.SUBMIT)


@admin.register(YearlyResult)
class YearlyResultAdmin(ScopedImportExportMixin, FoldedSearchMixin, ScopedAdminMixin, admin.ModelAdmin):
    resource_classes = [YearlyResultResource]
    search_text_lookup = "initiative__search_text"
    list_display = ("initiative", "year", "is_running", "participants_display", "beneficiaries_display",
                    "value_mobilised_display", "workdays_display")
    list_select_related = ("initiative",)
    list_filter = (year_filter("year"), "is_running", unit_filter("unit"))
    autocomplete_fields = ("initiative",)
    fields = ("initiative", "year", "is_running", "participants", "beneficiaries", "value_mobilised",
              "land_donated_m2", "workdays", "narrative")
    list_per_page = 50
    # The latest year first, then the newest initiative: the order of two indexes (the year's, and the row's
    # unit's), where the model's order (the initiative's own) would join and sort every result of the scope.
    ordering = ("-year", "-initiative_id")

    @admin.display(description=_("participants"), ordering="participants")
    def participants_display(self, obj):
        return formatting.thousands(obj.participants)

    @admin.display(description=_("beneficiaries"), ordering="beneficiaries")
    def beneficiaries_display(self, obj):
        return formatting.thousands(obj.beneficiaries)

    @admin.display(description=_("value mobilised (VND)"), ordering="value_mobilised")
    def value_mobilised_display(self, obj):
        return formatting.vnd(obj.value_mobilised)

    @admin.display(description=_("workdays"), ordering="workdays")
    def workdays_display(self, obj):
        return formatting.thousands(obj.workdays)

    def has_import_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or policies.can_report_results(request.user, obj.initiative))

    def has_delete_permission(self, request, obj=None):
        return False  # a year is corrected, not deleted: its figures are what the reports sum

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        user = request.user

        def clean_initiative(self):
            initiative = self.cleaned_data["initiative"]
            if not policies.can_report_results(user, initiative):
                raise ValidationError(_("Yearly results can be reported only for an accepted initiative that you "
                                        "are allowed to report on."))
            return initiative

        form.clean_initiative = clean_initiative
        return form

    def save_model(self, request, obj, form, change):
        saved = services.yearly_result_save(initiative=obj.initiative, acting_user=request.user, year=obj.year,
                                            values=yearly_result_values(form))
        obj.pk = saved.pk


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ("initiative", "kind", "file")

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and hasattr(uploaded, "size") and not self.instance.pk:
            attachments.validate_attachment(uploaded)
        return uploaded


@admin.register(Attachment)
class AttachmentAdmin(ScopedAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    form = AttachmentForm
    search_text_lookup = "initiative__search_text"
    list_display = ("original_name", "initiative", "kind", "size", "uploaded_at", "download")
    list_select_related = ("initiative",)
    list_filter = ("kind", unit_filter("initiative__unit"))
    autocomplete_fields = ("initiative",)
    list_per_page = 50

    @admin.display(description=_("download"))
    def download(self, obj):
        url = reverse("admin:models_registry_attachment_download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("download"))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("initiative", "kind", "file")
        return ("initiative", "kind", "original_name", "content_type", "size", "uploaded_by", "uploaded_at",
                "download")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("initiative", "original_name", "content_type", "size", "uploaded_by", "uploaded_at", "download")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and obj is None

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or policies.can_edit_registration(request.user, obj.initiative))

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initiative_id = request.GET.get("initiative", "")
        if not (initiative_id.isdigit() and Initiative.objects.visible_to(request.user).filter(pk=initiative_id)
                .exists()):
            initial.pop("initiative", None)
        return initial

    def save_model(self, request, obj, form, change):
        created = attachments.attachment_add(initiative=obj.initiative, acting_user=request.user,
                                             uploaded=form.cleaned_data["file"], kind=obj.kind)
        obj.pk = created.pk
        obj.file = created.file
        obj.original_name = created.original_name

    def delete_model(self, request, obj):
        attachments.attachment_remove(attachment=obj, acting_user=request.user)

    def get_actions(self, request):
        # A bulk delete would bypass the per-file checks (and leave files in the storage): one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def get_urls(self):
        return [
            path("<path:object_id>/download/", self.admin_site.admin_view(self.download_view),
                 name="models_registry_attachment_download"),
            *super().get_urls(),
        ]

    def download_view(self, request, object_id):
        attachment = self.get_object(request, object_id)  # 404 outside the scope
        if not self.has_view_or_change_permission(request, attachment):
            raise PermissionDenied
        return attachments.attachment_response(attachment)


class TransitionStatusFilter(ChoicesFilter):
    title = _("to")
    parameter_name = "to_status"
    field_name = "to_status"
    fixed_choices = [*InitiativeStatus.choices, *Lifecycle.choices]


@admin.register(InitiativeTransition)
class InitiativeTransitionAdmin(TransitionDisplayMixin, ScopedAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    """The transition log: read-only for everybody."""

    search_text_lookup = "initiative__search_text"
    list_display = ("created_at", "initiative", "from_label", "to_label", "actor", "short_reason")
    list_select_related = ("initiative", "actor")
    list_filter = (TransitionStatusFilter, unit_filter("unit"))
    fields = ("initiative", "from_label", "to_label", "actor", "created_at", "reason", "changes_display")
    readonly_fields = fields
    list_per_page = 50

    @admin.display(description=_("reason"))
    def short_reason(self, obj):
        return obj.reason[:120]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
