"""The report's question as a form: unit (among those the person covers, or the whole country for those who see
everything), years, map."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from models_registry.models import MOVEMENT_FIRST_YEAR

from . import policies
from .selectors import CURRENT, HISTORICAL, WHOLE_COUNTRY, ReportQuery, WholeCountry, is_whole_country, scope_key

MAX_YEARS = 20


class ScopeChoiceIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.offers_whole_country:
            yield (WHOLE_COUNTRY, _("Whole country"))
        yield from super().__iter__()

    def __len__(self):
        return super().__len__() + int(self.field.offers_whole_country)


class UnitChoiceField(forms.ModelChoiceField):
    """A unit among the queryset, or the whole country when `offers_whole_country` (value "all")."""

    iterator = ScopeChoiceIterator
    offers_whole_country = False

    def label_from_instance(self, unit):
        return str(unit) if unit.edition.is_current else f"{unit.name} ({unit.edition.name})"

    def prepare_value(self, value):
        if is_whole_country(value):
            return WHOLE_COUNTRY
        return super().prepare_value(value)

    def to_python(self, value):
        if value == WHOLE_COUNTRY and self.offers_whole_country:
            return WholeCountry.today()
        return super().to_python(value)


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
        self.fields["scope"].offers_whole_country = policies.can_report_on_country(user)
        unit = policies.default_unit(user)
        if unit is not None:
            self.fields["scope"].initial = unit.pk
        elif self.fields["scope"].offers_whole_country:
            self.fields["scope"].initial = WHOLE_COUNTRY  # an administrator's own scope is the country
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
        return {"scope": scope_key(query.scope), "year_from": query.year_from, "year_to": query.year_to,
                "map": query.map}
