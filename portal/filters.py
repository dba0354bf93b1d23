"""The public catalogue's filters (django-filter); every value lives in the URL so a link can be shared."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from evaluations import ratings
from models_registry.models import (
    ActivityField,
    AdministrativeUnit,
    Initiative,
    InitiativeKind,
    InitiativeOrigin,
    Lifecycle,
)
from models_registry.search import best_first, has_many_matches, search
from models_registry.statistics import first_year_with_data

from . import selectors
from .paginators import cached_for_list


def year_choices():
    """From this year back to the first year with a registration: no empty years back to 2009."""
    first = first_year_with_data(Initiative, "registration_year")
    return [(year, str(year)) for year in range(timezone.localdate().year, first - 1, -1)]


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


class StableOrderingFilter(django_filters.OrderingFilter):
    """An order with ties (many models share a title or a year) broken by id, so that paging through the list
    never shows a model twice or skips one. Titles sort in Vietnamese alphabetical order (the column's
    collation, models_registry/collation.py)."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        if value:
            # In the direction of the chosen order, so that one index serves both (status, title, id).
            qs = qs.order_by(*qs.query.order_by, "-id" if str(qs.query.order_by[0]).startswith("-") else "id")
        return qs


class InitiativeCatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search",
                                  widget=forms.TextInput(attrs={"type": "search", "placeholder": _(
                                      "Name, code, person or organisation")}))
    province = UnitFilter(
        label=_("Province"), method="filter_unit_subtree", empty_label=_("All provinces"),
        queryset=selectors.public_provinces(),
        # static/js/portal.js refills the commune list from this address when the province changes.
        widget=forms.Select(attrs={"data-units-url": reverse_lazy("portal:catalogue_units_json"),
                                   "data-units-target": "id_unit"}),
    )
    unit = UnitFilter(label=_("Commune / ward"), method="filter_unit_subtree", empty_label=_("All units"),
                      queryset=AdministrativeUnit.objects.select_related("edition"))
    field = django_filters.ModelChoiceFilter(
        label=_("Field"), method="filter_field", empty_label=_("All fields"),
        queryset=ActivityField.objects.select_related("parent").order_by("order", "name"),
    )
    year = django_filters.ChoiceFilter(label=_("Registration year"), field_name="registration_year",
                                       choices=year_choices, empty_label=_("All years"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InitiativeKind.choices, empty_label=_("All kinds"))
    origin = django_filters.ChoiceFilter(label=_("Origin"), choices=InitiativeOrigin.choices,
                                         empty_label=_("All origins"))
    lifecycle = django_filters.ChoiceFilter(label=_("Running or discontinued"), choices=Lifecycle.choices,
                                            empty_label=_("Running and discontinued"))
    # The steps of the scale as the board named them ("Tiêu biểu", "Hiệu quả"…), read from the table; a
    # model's latest rating from a closed conference (LatestRating, joined on the initiative's key).
    rating = django_filters.ChoiceFilter(
        label=_("Rating"), method="filter_rating", empty_label=_("All ratings"),
        choices=selectors.rating_choices,
    )
    sort = StableOrderingFilter(
        label=_("Sort by"),
        fields=(("registration_year", "year"), ("title", "title"), ("code", "code")),
        field_labels={
            # Ascending labels are keyed by the model field, descending ones by "-" and the URL parameter.
            "registration_year": _("registration year (oldest first)"),
            "-year": _("registration year (newest first)"),
            "title": _("name (A–Z)"),
            "-title": _("name (Z–A)"),
            "code": _("Code (ascending)"),
            "-code": _("Code (descending)"),
        },
        empty_label=_("Newest first"),
    )

    class Meta:
        model = Initiative
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Render only the communes of the chosen province (the full list of units is thousands long); any unit,
        # old ones included, is still accepted from a shared link.
        # Without JavaScript the list narrows when the form is sent; with it, as soon as a province is chosen
        # (static/js/portal.js, from the view `catalogue_units_json`).
        unit_field = self.form.fields["unit"]
        units = selectors.province_communes(self.form["province"].value()) or []
        choices = [("", unit_field.empty_label)] + [(u.pk, u.name) for u in units]
        chosen = self.form["unit"].value()
        if chosen and str(chosen).isdigit() and not any(str(pk) == str(chosen) for pk, _name in choices):
            extra = AdministrativeUnit.objects.filter(pk=chosen).first()
            if extra is not None:
                choices.append((extra.pk, str(extra)))
        unit_field.widget.choices = choices

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        query = self.form.cleaned_data.get("q")
        if query and not self.form.cleaned_data.get("sort"):
            # Best matches first, among the rows every filter kept (unless the visitor chose an order), when
            # they are not too many to rank: known once per list, like its count.
            many = cached_for_list(queryset, "many-matches", lambda: has_many_matches(queryset))
            queryset = best_first(queryset, query, *Initiative._meta.ordering, many=many)
        return queryset

    def filter_search(self, queryset, name, value):
        """Every word, in any order, in the title, code, person or organisation."""
        return search(queryset, value)

    def filter_unit_subtree(self, queryset, name, value):
        """A unit covers everything below it and, on the current map, the old units that merged into it."""
        return queryset.within(value)

    def filter_rating(self, queryset, name, value):
        """The models whose latest rating is this step (a value not on the scale never gets here)."""
        return ratings.rated(queryset, int(value))

    def filter_field(self, queryset, name, value):
        """A standard field includes its local sub-themes."""
        return queryset.filter(Q(field=value) | Q(field__parent=value))
