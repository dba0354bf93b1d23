"""Bringing in past years' records: organisations, models, yearly results, evaluation results, commendations."""

from __future__ import annotations

from .past import CommendationImporter, PastResultsImporter
from .registry import InitiativeImporter, OrganizationImporter, YearlyResultImporter

# In the order a province brings its records in: each import relies on the ones before it.
IMPORTERS = [OrganizationImporter, InitiativeImporter, YearlyResultImporter, PastResultsImporter,
             CommendationImporter]
BY_KEY = {importer.key: importer for importer in IMPORTERS}


def importers_for(user) -> list:
    return [importer for importer in IMPORTERS if importer.allowed(user)]


def importer(key: str):
    return BY_KEY.get(key)
