"""The report's question as a form: unit (among those the person covers), years, map."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from models_registry.models import MOVEMENT_FIRST_YEAR

from . import policies
from .selectors import CURRENT, HISTORICAL, ReportQuery

MAX_YEARS = 20


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return str(unit) if unit.edition.is_current else f"{unit.name} ({unit.edition.name})"


class ReportForm(forms.Form):
    scope = UnitChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    year_from = forms.IntegerField(label=_("Year"), min_value=MOVEMENT_FIRST_YEAR, max_value=2100)
    year_to = forms.IntegerField(label=_("To year (for a period)"), min_value=MOVEMENT_FIRST_YEAR, max_value=2100,
                                 required=False)
    map = forms.ChoiceField(label=_("Map"), initial=CURRENT, choices=[
        (CURRENT, _("Rolled up to today's administrative units")),
        (HISTORICAL, _("Units as they were at the time")),
    ])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].queryset = policies.report_units(user)
        unit = policies.default_unit(user)
        if unit is not None:
            self.fields["scope"].initial = unit.pk
        self.fields["year_from"].initial = timezone.localdate().year

    def clean(self):
        data = super().clean()
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from and year_to:
            if year_to < year_from:
                self.add_error("year_to", _("The last year comes before the first."))
            elif year_to - year_from >= MAX_YEARS:
                self.add_error("year_to", _("A period covers at most %(count)s years.") % {"count": MAX_YEARS})
        return data

    def query(self) -> ReportQuery:
        data = self.cleaned_data
        return ReportQuery(data["scope"], data["year_from"], data.get("year_to") or data["year_from"], data["map"])

    def as_params(self) -> dict:
        query = self.query()
        return {"scope": query.scope.pk, "year_from": query.year_from, "year_to": query.year_to, "map": query.map}
