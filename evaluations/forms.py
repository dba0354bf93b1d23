"""Forms of the scoring pages. They only collect what was typed; the services judge it (points in range,
every criterion filled to submit, a reason for an override) and their messages land on the fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from models_registry.formatting import decimal_text

from .models import Rating, ScoreSheet

# 8.50 → "8,5": how a number is shown back in a box people type Vietnamese decimals into.
points_text = decimal_text


class ScoreSheetForm(forms.Form):
    """One box per criterion (named criterion_<pk>, as the service names its errors), in the set's order."""

    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, criteria, sheet: ScoreSheet | None = None, **kwargs):
        """`criteria` as selectors.scoring_criteria reads them: with the sheet's points as `given_points`."""
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        given = {criterion.pk: getattr(criterion, "given_points", None) for criterion in self.criteria}
        boxes = {}
        for criterion in self.criteria:
            boxes[self.field_name(criterion)] = forms.CharField(
                label=criterion.name, required=False, max_length=12, initial=points_text(given.get(criterion.pk)),
                widget=forms.TextInput(attrs={
                    "inputmode": "decimal", "autocomplete": "off", "class": "points", "size": 6,
                    "data-max": points_text(criterion.max_points), "enterkeyhint": "done",
                }),
            )
        # The boxes come first: the tab order runs through the criteria, then the comment.
        self.fields = {**boxes, **self.fields}
        if sheet is not None:
            self.fields["comment"].initial = sheet.comment
            self.fields["version"].initial = sheet.version

    @staticmethod
    def field_name(criterion) -> str:
        return f"criterion_{criterion.pk}"

    def criterion_rows(self):
        """(criterion, bound field) pairs for the template."""
        return [(criterion, self[self.field_name(criterion)]) for criterion in self.criteria]

    def points(self) -> dict:
        return {criterion.pk: self.cleaned_data.get(self.field_name(criterion), "").strip()
                for criterion in self.criteria}


class ResultDecisionForm(forms.Form):
    override_rating = forms.ModelChoiceField(
        label=_("Rating decided by the council"), required=False, queryset=Rating.objects.none(),
        empty_label=_("— the rating from the scores —"))
    override_reason = forms.CharField(label=_("Reason for the council's rating"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    recognised = forms.BooleanField(label=_("Recognised at this level"), required=False)
    proposed_upward = forms.BooleanField(label=_("Proposed to the next level"), required=False)
    proposed_for_commendation = forms.BooleanField(label=_("Proposed for commendation"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, nomination, **kwargs):
        kwargs.setdefault("initial", {
            "override_rating": nomination.override_rating_id, "override_reason": nomination.override_reason,
            "recognised": nomination.recognised, "proposed_upward": nomination.proposed_upward,
            "proposed_for_commendation": nomination.proposed_for_commendation, "version": nomination.version,
        })
        kwargs.setdefault("prefix", f"n{nomination.pk}")
        super().__init__(*args, **kwargs)
        self.fields["override_rating"].queryset = Rating.objects.order_by("-min_percent")

    def decisions(self) -> dict:
        return {name: self.cleaned_data[name] for name in (
            "override_rating", "override_reason", "recognised", "proposed_upward", "proposed_for_commendation")}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: on the field it names, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
