"""Every model the portal's people change leaves a trace: each write through its service records who did
what, on the record or on the record it belongs to. A model added without a walk here fails the last test."""

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from awards import services as award_services
from awards.models import AwardForm
from evaluations import services as evaluation_services
from evaluations.models import CouncilMember, CriteriaSet, Criterion, Rating
from models_registry import attachments, people, roles, services
from models_registry.models import (
    ActivityField,
    AuditEntry,
    InitiativeStatus,
    InitiativeTransition,
    Organization,
)

from .evaluation_factories import accepted, conference, council_member, score_all, scoring_conference
from .factories import InitiativeFactory, organization_in, persona, superuser, unit

pytestmark = pytest.mark.django_db

# Models nobody changes through the portal, and why.
NOT_WRITTEN_BY_PEOPLE = {
    "models_registry.administrativeunit": "loaded from the national lists by load_units; read-only in the admin",
    "models_registry.unitedition": "loaded by load_units",
    "models_registry.unitsuccession": "loaded by load_units",
    "models_registry.codecounter": "a counter the services keep",
    "models_registry.initiativetally": "the home page's figures, recounted from the initiatives on each write",
    "models_registry.initiativetransition": "the status log itself",
    "models_registry.auditentry": "the audit log itself",
    "evaluations.score": "the lines of a score sheet, logged with the sheet",
    "evaluations.latestrating": "derived from closed conferences",
    "auth.group": "roles come from code (roles.py) and are read-only in the admin",
    "auth.permission": "created by migrate",
}


def traces(obj) -> set[str]:
    """The actions recorded on the row: audit entries and, for an initiative, its status log."""
    actions = set(AuditEntry.unscoped.filter(content_type=ContentType.objects.get_for_model(obj),
                                             object_id=str(obj.pk)).values_list("action", flat=True))
    if obj._meta.label_lower == "models_registry.initiative":
        actions |= {f"status:{s}" for s in InitiativeTransition.unscoped.filter(initiative=obj)
                    .values_list("to_status", flat=True)}
    return actions


@pytest.fixture
def board(provincial_board):
    return provincial_board


def walk_registry(board, unit_staff, commune_reviewer, private_media):
    admin = superuser("quantri_audit")
    org = Organization(name="Hội Người cao tuổi xã Minh Long", category="front", unit=unit("Xã Minh Long"))
    services.organization_save(organization=org, acting_user=board)
    field = ActivityField(code="an-sinh", name="An sinh xã hội",
                          parent=ActivityField.objects.get(code="van-hoa-xa-hoi"))
    services.field_save(field=field, acting_user=admin)
    initiative = services.initiative_create(
        acting_user=unit_staff, organization=unit_staff.staff_profile.organization, title="Mô hình thử",
        field=ActivityField.objects.get(code="kinh-te"), registration_year=2025, situation="Khó khăn",
        objectives="Mục tiêu", content_methods="Cách làm", contact_name="Nguyễn Thị Hoa", contact_phone="0905123456")
    services.initiative_update(initiative=initiative, acting_user=unit_staff, values={"title": "Mô hình thử (sửa)"},
                               expected_version=initiative.version)
    upload = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    attachment = attachments.attachment_add(initiative=initiative, acting_user=unit_staff, uploaded=upload)
    services.initiative_submit(initiative=initiative, acting_user=unit_staff)
    services.initiative_accept(initiative=initiative, acting_user=commune_reviewer)
    services.yearly_result_save(initiative=initiative, acting_user=unit_staff, year=2025, values={"participants": 40})
    User = get_user_model()
    account = User(username="canbo_moi", first_name="Mới", last_name="Nguyễn Văn")
    people.user_save(acting_user=board, user=account, created=True)
    people.staff_user_assign(acting_user=board, user=account, role=roles.UNIT_STAFF, unit=org.unit,
                             organization=org, created=True)
    return {
        "models_registry.organization": (org, "organization.created"),
        "models_registry.activityfield": (field, "field.created"),
        "models_registry.initiative": (initiative, "initiative.changed"),
        "models_registry.attachment": (initiative, "initiative.attachment_added"),
        "models_registry.yearlyresult": (initiative, "initiative.yearly_result_saved"),
        "auth.user": (account, "user.created"),
        "models_registry.staffprofile": (account, "user.assigned"),
        "_initiative_status": (initiative, f"status:{InitiativeStatus.ACCEPTED}"),
        "_attachment_kept": (attachment, None),
    }


def walk_evaluations(board, commune_reviewer):
    admin = superuser("quantri_thang_diem")
    criteria_set = CriteriaSet(name="Bộ tiêu chí thử")
    evaluation_services.criteria_set_save(acting_user=admin, criteria_set=criteria_set)
    evaluation_services.criteria_save(acting_user=admin, criteria_set=criteria_set, deleted=[], saved=[
        Criterion(name="Hiệu quả", max_points=Decimal(100))])
    rating = Rating.objects.get(name="Đạt")
    rating.min_percent = Decimal(55)
    evaluation_services.rating_save(acting_user=admin, rating=rating)
    models = accepted(InitiativeFactory(organization=organization_in("Xã Minh Long"), registration_year=2025))
    conf, seats = scoring_conference(commune_reviewer, unit("Xã Minh Long"), models)
    nomination = conf.nominations.get()
    criteria = {c.pk: str(c.max_points) for c in conf.criteria_set.criteria.all()}
    evaluation_services.sheet_save(acting_user=seats[1].user, nomination=nomination, member=seats[1],
                                   points=criteria)
    score_all(conf, seats[:1], {models[0].code: [80]})
    evaluation_services.result_decide(acting_user=commune_reviewer, nomination=nomination, recognised=True,
                                      proposed_for_commendation=True)
    evaluation_services.sheet_save(acting_user=seats[1].user, nomination=nomination, member=seats[1],
                                   points=criteria, submit=True)
    evaluation_services.sheet_save(acting_user=seats[2].user, nomination=nomination, member=seats[2],
                                   points=criteria, submit=True)
    evaluation_services.conference_close(acting_user=commune_reviewer, conference=conf)
    evaluation_services.conference_reopen(acting_user=board, conference=conf, reason="Nhập lại phiếu")
    evaluation_services.conference_close(acting_user=commune_reviewer, conference=conf)
    member = CouncilMember.unscoped.filter(conference=conf).first()
    return conf, nomination, {
        "evaluations.criteriaset": (criteria_set, "criteria_set.created"),
        "evaluations.criterion": (criteria_set, "criteria_set.criteria_changed"),
        "evaluations.rating": (rating, "rating.changed"),
        "evaluations.conference": (conf, "conference.reopened"),
        "evaluations.councilmember": (conf, "conference.member_added"),
        "evaluations.nomination": (nomination, "nomination.result_decided"),
        "evaluations.scoresheet": (nomination, "nomination.sheet_saved"),
        "_sheet_submitted": (nomination, "nomination.sheet_submitted"),
        "_nominated": (conf, "conference.nominated"),
        "_opened": (conf, "conference.opened"),
        "_closed": (conf, "conference.closed"),
        "_member": (member, None),
    }


def walk_awards(board, nomination):
    admin = superuser("quantri_khen")
    award_form = AwardForm(name="Giấy khen thử", level=1, issuing_authority="Ban thử", recipients="both")
    award_services.award_form_save(acting_user=admin, award_form=award_form)
    proposals = award_services.propose_from_results(
        acting_user=board, nominations=[nomination],
        award_form=AwardForm.objects.get(name="Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy"))
    decision = award_services.approve(acting_user=board, commendations=proposals, number="1/QĐ", signer="Trần Văn A",
                                      date=datetime.date(2025, 12, 20))
    return {
        "awards.awardform": (award_form, "award_form.saved"),
        "awards.commendation": (proposals[0], "commendation.approved"),
        "_proposed": (proposals[0], "commendation.proposed"),
        "awards.decision": (decision, "decision.created"),
    }


def test_every_write_of_every_model_leaves_a_trace(board, unit_staff, commune_reviewer, private_media):
    expected = walk_registry(board, unit_staff, commune_reviewer, private_media)
    _conf, nomination, more = walk_evaluations(board, commune_reviewer)
    expected.update(more)
    expected.update(walk_awards(board, nomination))
    missing = [f"{label}: {action} not recorded" for label, (obj, action) in expected.items()
               if action and action not in traces(obj)]
    assert missing == []

    # Every model of the portal is walked above or named with the reason nobody writes it.
    walked = {label for label in expected if not label.startswith("_")}
    ours = {model._meta.label_lower for model in apps.get_models()
            if model._meta.app_label in ("models_registry", "evaluations", "awards", "auth")}
    assert ours - walked - set(NOT_WRITTEN_BY_PEOPLE) == set()


def test_entries_are_seen_only_in_the_scope_of_their_row(board, commune_reviewer, other_province_staff):
    conf = conference(commune_reviewer, unit("Xã Minh Long"))
    council_member(commune_reviewer, conf, "chutich", "chair")
    entries = AuditEntry.objects.visible_to
    assert entries(commune_reviewer).filter(action="conference.member_added").exists()
    assert entries(board).filter(action="conference.member_added").exists()
    assert not entries(other_province_staff).filter(action="conference.member_added").exists()
    danang = persona(role=roles.PROVINCIAL_BOARD, unit_obj=unit("Thành phố Đà Nẵng"), username="ban_dn_audit")
    assert not entries(danang).filter(action__startswith="conference.").exists()
