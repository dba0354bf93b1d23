"""A small known dataset for the reports, every figure of which is worked out by hand in the tests.

Today's Quảng Ngãi (scope). Bodies:
  A  Women's Union of Xã Minh Long        (today's commune)
  B  Farmers' Association of Xã Minh Long (today's commune)
  C  Youth Union of Xã Sơn Hà             (today's commune)
  F  Veterans of Xã Sơn Hà                (today's commune)
  D  Women's branch of the old Xã Long Hiệp (pre-2025, in the old Huyện Minh Long; now in Xã Minh Long)
  E  the provincial police (the province's own level), registers nothing
  X  Farmers of Phường Hải Châu (Đà Nẵng): outside the scope

Initiatives (K economy, V culture–society, Q defence–security, P political system):
  i1 D 2024 collective new K accepted     results 2024: 100 M, 50 workdays; 2025: 40 M, 20 workdays
  i2 D 2024 individual new V (sub-theme)  accepted; results 2024: 10 M
  i3 C 2024 collective replicated K       submitted; a result of 5 M that does not count (not accepted)
  i4 F 2024 collective new Q              rejected
  i5 A 2024 draft                         not a registration
  i6 A 2025 collective new K (sub-theme)  accepted; results 2025: 200 M, 50.5 m², 100 workdays
  i7 B 2025 individual replicated P       accepted; results 2025: 30 M, 10 workdays
  i8 C 2025 collective new V              returned
  i9 X 2025 collective new K accepted     999 M: outside the scope

Closed conferences: 2024 of the old Huyện Minh Long — i1 Tiêu biểu, i2 Đạt; 2025 of the province — i1 Hiệu
quả, i6 Tiêu biểu, i7 Không đạt. A second 2025 conference of the province, still preparing, with i6 nominated
(not counted).
Commendations approved: 2024 district Giấy khen to D (i1); 2025 provincial Bằng khen to A (i6) and the
board's Giấy khen to an individual of D (i1's 2025 result); one 2025 proposal left undecided (not counted).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from awards import services as award_services
from awards.models import AwardForm, Commendation, RecipientKind
from evaluations import services as evaluation_services
from evaluations.models import Conference, CouncilRole
from models_registry.models import (
    ActivityField,
    InitiativeKind,
    InitiativeOrigin,
    InitiativeStatus,
    OrganizationCategory,
)

from .evaluation_factories import conference, council_member, score_all
from .factories import InitiativeFactory, YearlyResultFactory, organization_in, unit

M = 1_000_000


def _field(code):
    return ActivityField.objects.get(code=code)


def _initiative(org, year, status, field, *, kind=InitiativeKind.COLLECTIVE, origin=InitiativeOrigin.NEW,
                source=None, title=None, code=None):
    extra = {"person_name": "Đinh Thị Lan", "person_position": "Chi hội trưởng"} if kind == InitiativeKind.INDIVIDUAL \
        else {}
    values = {"code": code} if code else {}
    return InitiativeFactory(organization=org, registration_year=year, status=status, field=_field(field),
                             kind=kind, origin=origin, replicated_from=source, title=title or f"Mô hình {org.name}",
                             **extra, **values)


def _closed_conference(host_user, host_unit, year, initiatives, points, prefix):
    conf = conference(host_user, host_unit, year=year)
    seats = [council_member(host_user, conf, f"{prefix}_chair", CouncilRole.CHAIR, first_name="Hùng",
                            last_name="Lê Văn"),
             council_member(host_user, conf, f"{prefix}_secretary", CouncilRole.SECRETARY, first_name="Mai",
                            last_name="Võ Thị")]
    evaluation_services.nominate(acting_user=host_user, conference=conf, initiatives=initiatives)
    conf = evaluation_services.conference_open_scoring(acting_user=host_user, conference=conf)
    score_all(conf, seats, points)
    evaluation_services.conference_close(acting_user=host_user, conference=conf)
    return Conference.unscoped.get(pk=conf.pk)


def build(provincial_board, district_reviewer, commune_reviewer_son_ha=None):
    bodies = {
        "A": organization_in("Xã Minh Long", name="Hội Liên hiệp Phụ nữ xã Minh Long"),
        "B": organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long"),
        "C": organization_in("Xã Sơn Hà", name="Đoàn Thanh niên xã Sơn Hà"),
        "F": organization_in("Xã Sơn Hà", name="Hội Cựu chiến binh xã Sơn Hà"),
        "D": organization_in("Xã Long Hiệp", "pre2025", name="Chi hội Phụ nữ xã Long Hiệp"),
        "E": organization_in("Tỉnh Quảng Ngãi", name="Công an tỉnh Quảng Ngãi",
                             category=OrganizationCategory.ARMED_FORCES),
        "X": organization_in("Phường Hải Châu", name="Hội Nông dân phường Hải Châu"),
    }
    A, B, C, D, F, X = (bodies[k] for k in "ABCDFX")
    ACC, SUB, REJ, RET, DRAFT = (InitiativeStatus.ACCEPTED, InitiativeStatus.SUBMITTED, InitiativeStatus.REJECTED,
                                 InitiativeStatus.RETURNED, InitiativeStatus.DRAFT)
    i = {}
    i[1] = _initiative(D, 2024, ACC, "kinh-te", title="Mô hình Chi hội phụ nữ 5 không 3 sạch", code="RPT-01")
    i[2] = _initiative(D, 2024, ACC, "bao-ve-moi-truong", kind=InitiativeKind.INDIVIDUAL, code="RPT-02",
                       title="=HYPERLINK(\"http://example.com\",\"Bấm vào đây\")")
    i[3] = _initiative(C, 2024, SUB, "kinh-te", origin=InitiativeOrigin.REPLICATED, source=i[1], code="RPT-03",
                       title="=1+1")
    i[4] = _initiative(F, 2024, REJ, "quoc-phong-an-ninh", code="RPT-04")
    i[5] = _initiative(A, 2024, DRAFT, "kinh-te", code="RPT-05")
    i[6] = _initiative(A, 2025, ACC, "giam-ngheo", code="RPT-06", title="Mô hình Hũ gạo tình thương")
    i[7] = _initiative(B, 2025, ACC, "xay-dung-he-thong-chinh-tri", kind=InitiativeKind.INDIVIDUAL,
                       origin=InitiativeOrigin.REPLICATED, source=i[1], code="RPT-07")
    i[8] = _initiative(C, 2025, RET, "van-hoa-xa-hoi", code="RPT-08")
    i[9] = _initiative(X, 2025, ACC, "kinh-te", code="RPT-09")

    for initiative, year, value, extra in (
            (i[1], 2024, 100 * M, {"workdays": 50}), (i[1], 2025, 40 * M, {"workdays": 20}),
            (i[2], 2024, 10 * M, {"workdays": 0}), (i[3], 2024, 5 * M, {"workdays": 7}),
            (i[6], 2025, 200 * M, {"workdays": 100, "land_donated_m2": Decimal("50.5")}),
            (i[7], 2025, 30 * M, {"workdays": 10}), (i[9], 2025, 999 * M, {"workdays": 999})):
        YearlyResultFactory(initiative=initiative, year=year, value_mobilised=value, **extra)

    # Both members give the same total: the mean is that total.
    conf_2024 = _closed_conference(district_reviewer, unit("Huyện Minh Long", "pre2025"), 2024, [i[1], i[2]],
                                   {i[1].code: [95, 95], i[2].code: [60, 60]}, "hd2024")
    conf_2025 = _closed_conference(provincial_board, unit("Tỉnh Quảng Ngãi"), 2025, [i[1], i[6], i[7]],
                                   {i[1].code: [80, 80], i[6].code: [95, 95], i[7].code: [30, 30]}, "hd2025")
    preparing = conference(provincial_board, unit("Tỉnh Quảng Ngãi"), year=2025, title="Hội nghị chưa họp")
    evaluation_services.nominate(acting_user=provincial_board, conference=preparing, initiatives=[i[6]])
    results_2024 = {n.initiative_id: n for n in conf_2024.nominations.all()}
    results_2025 = {n.initiative_id: n for n in conf_2025.nominations.all()}

    district_form = AwardForm.objects.get(name="Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện")
    province_form = AwardForm.objects.get(name="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh")
    board_form = AwardForm.objects.get(name="Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy")
    proposed = award_services.propose_from_results(acting_user=district_reviewer, nominations=[results_2024[i[1].pk]],
                                                   award_form=district_form)
    award_services.approve(acting_user=district_reviewer, commendations=proposed, number="45/QĐ-UBND",
                           date=datetime.date(2024, 12, 20), signer="Phạm Văn Tâm", prize_amount=1_170_000)
    bang_khen = award_services.propose_from_results(acting_user=provincial_board,
                                                    nominations=[results_2025[i[6].pk]], award_form=province_form)
    individual = award_services.propose(acting_user=provincial_board, commendation=Commendation(
        recipient_kind=RecipientKind.INDIVIDUAL, organization=D, person_name="=1+1", person_position="Hội viên",
        initiative=i[1], nomination=results_2025[i[1].pk], year=2025, award_form=board_form))
    award_services.approve(acting_user=provincial_board, commendations=bang_khen, number="215/QĐ-UBND",
                           date=datetime.date(2025, 12, 20), signer="Nguyễn Văn Hùng", prize_amount=2_340_000)
    award_services.approve(acting_user=provincial_board, commendations=[individual], number="12/QĐ-BTGDVTU",
                           date=datetime.date(2025, 12, 22), signer="Trần Thị Hạnh", prize_amount=500_000)
    award_services.propose_from_results(acting_user=provincial_board, nominations=[results_2025[i[6].pk]],
                                        award_form=board_form)  # stays proposed: not counted
    return {"bodies": bodies, "initiatives": i, "conferences": (conf_2024, conf_2025)}
