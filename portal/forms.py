"""Forms of the staff area. They validate and show errors next to the field; the writes go through services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from models_registry.attachments import ALLOWED_EXTENSIONS, validate_attachment
from models_registry.models import (
    MOVEMENT_FIRST_YEAR,
    ActivityField,
    AttachmentKind,
    Initiative,
    InitiativeKind,
    InitiativeOrigin,
    Organization,
)
from models_registry.services import EDITABLE_FIELDS, reviewing_unit_for

# Typed as dd/mm/yyyy whatever the browser's language (a native date picker follows the browser's locale).
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric",
                                                        "pattern": r"\d{1,2}/\d{1,2}/\d{4}", "maxlength": 10})
TEXTAREA = forms.Textarea(attrs={"rows": 4})


class FieldChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"— {obj.name}" if obj.parent_id else obj.name


def fields_in_tree_order(fields) -> list[ActivityField]:
    """Top-level fields in their order, each followed by its own sub-fields."""
    fields = list(fields)
    children: dict[int, list[ActivityField]] = {}
    for obj in fields:
        if obj.parent_id:
            children.setdefault(obj.parent_id, []).append(obj)
    ordered = []
    for obj in fields:
        if not obj.parent_id:
            ordered.append(obj)
            ordered.extend(children.pop(obj.pk, []))
    ordered.extend(child for group in children.values() for child in group)  # a parent outside the list
    return ordered


class SourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} – {obj.title}"


class InitiativeForm(forms.ModelForm):
    """The registration form of DESIGN.md §4, for a draft or a returned registration."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Initiative
        fields = EDITABLE_FIELDS
        field_classes = {"field": FieldChoiceField, "replicated_from": SourceChoiceField}
        widgets = {
            "kind": forms.RadioSelect,
            "origin": forms.RadioSelect,
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "situation": TEXTAREA,
            "objectives": TEXTAREA,
            "content_methods": TEXTAREA,
            "area_beneficiaries": TEXTAREA,
            "participating_forces": TEXTAREA,
            "resources": TEXTAREA,
            "expected_outputs": TEXTAREA,
            "sustainability": TEXTAREA,
            "budget_amount": forms.NumberInput(attrs={"min": 0, "step": 1000, "inputmode": "numeric",
                                                     "data-money": ""}),
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
        help_texts = {
            "person_name": _("Required for an exemplar (an individual)."),
            "replicated_from": _("Search the catalogue of recognised models by name or code."),
            "budget_amount": _("In VND, digits only."),
            "contact_phone": _("Not shown on the public site."),
            "contact_email": _("Not shown on the public site."),
        }

    def __init__(self, *args, organization: Organization | None = None, **kwargs):
        instance = kwargs.get("instance")
        if instance is None and organization is not None:
            # An unsaved registration of the organisation, so that the model's own checks can run.
            kwargs["instance"] = Initiative(organization=organization, unit=organization.unit,
                                            review_unit=reviewing_unit_for(organization))
            kwargs.setdefault("initial", {}).setdefault("registration_year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        field = self.fields["field"]
        field.queryset = ActivityField.objects.select_related("parent").order_by("order", "name")
        field.empty_label = _("— choose a field —")
        # Each sub-field right under its own field, not all of them after the last field.
        field.choices = [("", field.empty_label)] + [
            (obj.pk, field.label_from_instance(obj)) for obj in fields_in_tree_order(field.queryset)
        ]
        source = self.fields["replicated_from"]
        source.queryset = Initiative.objects.replication_sources()
        if self.instance.pk:
            source.queryset = source.queryset.exclude(pk=self.instance.pk)
        source.empty_label = _("— no model chosen —")
        # Only the chosen source is rendered; the search box fills in the others.
        chosen = self["replicated_from"].value()
        rendered = [("", source.empty_label)]
        if chosen and str(chosen).isdigit():
            picked = Initiative.objects.replication_sources().filter(pk=chosen).only("pk", "code", "title").first()
            if picked is not None:
                rendered.append((picked.pk, source.label_from_instance(picked)))
        source.widget.choices = rendered
        self.fields["budget_amount"].required = False  # 0 when left empty
        self.fields["registration_year"].widget.attrs.update(
            {"min": MOVEMENT_FIRST_YEAR, "max": timezone.localdate().year + 1}
        )

    def clean_budget_amount(self):
        return self.cleaned_data.get("budget_amount") or 0

    def clean(self):
        data = super().clean()
        if data.get("kind") == InitiativeKind.INDIVIDUAL and not (data.get("person_name") or "").strip():
            self.add_error("person_name", _("Give the full name of the person this exemplar is about."))
        if data.get("kind") == InitiativeKind.COLLECTIVE:
            data["person_name"] = ""
            data["person_position"] = ""
        if data.get("origin") == InitiativeOrigin.REPLICATED and not data.get("replicated_from"):
            if "replicated_from" not in self.errors:
                self.add_error("replicated_from", _("Choose the model this one replicates."))
        if data.get("origin") == InitiativeOrigin.NEW:
            data["replicated_from"] = None
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data

    def _post_clean(self):
        # Keep the instance consistent with what clean() decided before the model's own checks run.
        for name in ("person_name", "person_position", "replicated_from"):
            if name in self.cleaned_data and name not in self.errors:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of file"), choices=AttachmentKind.choices,
                             initial=AttachmentKind.PLAN)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_EXTENSIONS)}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.content_type = validate_attachment(uploaded)
        return uploaded


class YearlyResultForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    is_running = forms.TypedChoiceField(
        label=_("Is the model still running?"), coerce=lambda value: value == "True",
        choices=[(True, _("Yes, still running")), (False, _("No, it has stopped"))],
        widget=forms.RadioSelect, initial=True,
    )
    participants = forms.IntegerField(label=_("Participants"), min_value=0, initial=0)
    beneficiaries = forms.IntegerField(label=_("Beneficiaries"), min_value=0, initial=0)
    value_mobilised = forms.IntegerField(label=_("Value mobilised (VND)"), min_value=0, initial=0,
                                         widget=forms.NumberInput(attrs={"inputmode": "numeric", "data-money": ""}))
    land_donated_m2 = forms.DecimalField(label=_("Land donated (m²)"), min_value=0, max_digits=12,
                                         decimal_places=1, initial=0)
    workdays = forms.IntegerField(label=_("Workdays"), min_value=0, initial=0)
    narrative = forms.CharField(label=_("Narrative"), required=False, widget=TEXTAREA,
                                help_text=_("What was done this year; if the model stopped, say why."))

    VALUE_FIELDS = ("is_running", "participants", "beneficiaries", "value_mobilised", "land_donated_m2", "workdays",
                    "narrative")

    def __init__(self, *args, initiative: Initiative, reported=(), **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        first = min(initiative.registration_year, this_year)
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, first - 1, -1)]
        self.fields["year"].initial = this_year
        # What was already reported, by year: the form opens on it, so a second report of a year corrects the
        # first instead of overwriting it with zeros (portal.js refills the boxes when the year changes).
        self.reported = {
            str(result.year): {name: str(getattr(result, name)) for name in self.VALUE_FIELDS} for result in reported
        }
        if self.reported:
            self.fields["year"].help_text = _("The years already reported open with their figures: saving again "
                                              "replaces them.")
        if not self.is_bound and str(this_year) in self.reported:
            self.initial.update(self.reported[str(this_year)])

    def clean(self):
        data = super().clean()
        if data.get("is_running") is False and not (data.get("narrative") or "").strip():
            self.add_error("narrative", _("Say why the model stopped."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.VALUE_FIELDS}


class OneTimeCodeForm(forms.Form):
    """A code from the authenticator app (or a recovery code, where `recovery` allows it)."""

    code = forms.CharField(label=_("Code"), max_length=20, widget=forms.TextInput(attrs={
        "autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false", "autofocus": True}))

    def __init__(self, *args, recovery: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = (
            _("The six digits your authenticator app shows now, or one of your recovery codes.") if recovery
            else _("The six digits your authenticator app shows now."))
