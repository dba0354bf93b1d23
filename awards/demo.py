"""Demo commendations for a province `seed_demo` has filled: the councils' proposals of past conferences
decided at the level of each form (the province's Bằng khen, the communes' and the old districts' Giấy
khen), consistent with the ratings; the proposals of the latest province conference still wait."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils.translation import gettext as _

from evaluations.models import ConferenceStatus, Nomination
from models_registry import demo_data as vocab
from models_registry.formatting import thousands
from models_registry.models import AdministrativeUnit, UnitLevel
from models_registry.plugins import register_demo_data

from . import services
from .models import AwardForm, Commendation, CommendationStatus, Decision

# The form each level's conference proposes for, and the share of the base salary it is worth.
FORM_OF_LEVEL = {
    UnitLevel.PROVINCE: ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "QĐ-UBND", 1.0),
    UnitLevel.DISTRICT: ("Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện", "QĐ-UBND", 0.3),
    UnitLevel.COMMUNE: ("Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", "QĐ-UBND", 0.3),
}
# The base salary (lương cơ sở) in force at the end of each year, in đồng: prizes are stored as decided.
BASE_SALARY = {2019: 1_490_000, 2020: 1_490_000, 2021: 1_490_000, 2022: 1_490_000, 2023: 1_800_000,
               2024: 2_340_000, 2025: 2_340_000, 2026: 2_340_000}


def _recipient(nomination: Nomination, form: AwardForm) -> Commendation:
    commendation = services.from_result(nomination, form)
    commendation.derive_fields()  # bulk inserts skip save()
    return commendation


@register_demo_data(order=30)
def seed_commendations(province: AdministrativeUnit, rng: random.Random) -> str:
    forms = {form.name: form for form in AwardForm.objects.all()}
    area = AdministrativeUnit.objects.subtree_of(province).values("pk")
    proposals = list(Nomination.unscoped.filter(
        conference__host_unit__in=area, conference__status=ConferenceStatus.CLOSED, proposed_for_commendation=True,
        commendations__isnull=True,
    ).select_related("conference__host_unit", "initiative__organization", "rating").order_by(
        "conference__year_to", "conference__pk", "rank"))
    if not proposals:
        return ""
    latest_province_year = max((n.conference.year_to for n in proposals
                                if n.conference.host_unit_id == province.pk), default=None)
    decisions = approved = waiting = 0
    with transaction.atomic():
        by_conference: dict[int, list[Nomination]] = {}
        for nomination in proposals:
            by_conference.setdefault(nomination.conference_id, []).append(nomination)
        for nominations in by_conference.values():
            conference = nominations[0].conference
            name, suffix, share = FORM_OF_LEVEL[conference.level]
            form = forms.get(name)
            if form is None:
                continue
            rows = [_recipient(n, form) for n in nominations if n.rating and n.rating.min_percent >= (
                form.min_rating.min_percent if form.min_rating else 0)]
            if conference.host_unit_id == province.pk and conference.year_to == latest_province_year:
                Commendation.unscoped.bulk_create(rows)  # still waiting for the province's decision
                waiting += len(rows)
                continue
            day = datetime.date(conference.year_to, 12, 28)
            decision = Decision.unscoped.create(
                number=f"{rng.randint(100, 3999)}/{suffix}", date=day,
                signer=f"{rng.choice(vocab.FAMILY_NAMES)} {rng.choice(vocab.MIDDLE_NAMES)} "
                       f"{rng.choice(vocab.GIVEN_NAMES)}",
                issuing_authority=form.issuing_authority, award_form=form, issuing_unit=conference.host_unit)
            prize = int(BASE_SALARY.get(conference.year_to, 2_340_000) * share) // 1000 * 1000
            for row in rows:
                row.status, row.decision, row.prize_amount = CommendationStatus.APPROVED, decision, prize
            Commendation.unscoped.bulk_create(rows)
            decisions += 1
            approved += len(rows)
    return _("Commendations: %(decisions)s decisions, %(approved)s recipients commended, %(waiting)s proposals "
             "waiting for a decision.") % {"decisions": thousands(decisions), "approved": thousands(approved),
                                           "waiting": thousands(waiting)}
