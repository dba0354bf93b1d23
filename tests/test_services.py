"""Every service of the registry called directly: it writes what it says, leaves its trace, and refuses the
wrong person or the wrong moment without writing anything."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from models_registry import people, roles, services, signals
from models_registry.attachments import attachment_add, attachment_remove
from models_registry.models import (
    ActivityField,
    AuditEntry,
    Initiative,
    InitiativeStatus,
    InitiativeTransition,
    Lifecycle,
    Organization,
    StaffProfile,
)

from .factories import InitiativeFactory, organization_in, standard_field, unit

pytestmark = pytest.mark.django_db


def pdf(name="ke-hoach.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def audit_actions(obj):
    return list(AuditEntry.objects.for_object(obj).values_list("action", flat=True))


def test_reserve_codes_hands_out_consecutive_numbers():
    first = services.reserve_codes("test:counter", count=3)
    assert services.reserve_codes("test:counter") == first + 3


def test_initiative_create_registers_a_coded_draft_with_its_reviewing_unit(unit_staff):
    organization = unit_staff.staff_profile.organization
    initiative = services.initiative_create(acting_user=unit_staff, organization=organization,
                                            title="Mô hình “Tổ tự quản đường làng”", field=standard_field(),
                                            registration_year=2025)
    assert initiative.code.startswith("DVK-51-2025-")
    assert (initiative.status, initiative.unit, initiative.review_unit) == (
        InitiativeStatus.DRAFT, organization.unit, organization.unit)
    assert initiative.transitions.get().to_status == InitiativeStatus.DRAFT


def test_initiative_update_logs_the_changed_fields_and_refuses_a_stale_version(unit_staff):
    draft = InitiativeFactory(organization=unit_staff.staff_profile.organization, status=InitiativeStatus.DRAFT)
    updated = services.initiative_update(initiative=draft, acting_user=unit_staff, values={"title": "Tên mới"},
                                         expected_version=draft.version)
    entry = AuditEntry.objects.for_object(draft).get()
    assert entry.changes["title"][1] == "Tên mới" and entry.actor == unit_staff
    with pytest.raises(services.StaleEditError):
        services.initiative_update(initiative=draft, acting_user=unit_staff, values={"title": "Tên cũ hơn"},
                                   expected_version=updated.version - 1)


def test_initiative_delete_draft_only_deletes_a_never_submitted_draft(unit_staff, commune_reviewer):
    organization = unit_staff.staff_profile.organization
    never_sent = services.initiative_create(acting_user=unit_staff, organization=organization, title="Nháp",
                                            field=standard_field(), registration_year=2025)
    with pytest.raises(PermissionDenied):
        services.initiative_delete_draft(initiative=never_sent, acting_user=commune_reviewer)
    services.initiative_delete_draft(initiative=never_sent, acting_user=unit_staff)
    assert not Initiative.objects.filter(pk=never_sent.pk).exists()
    assert AuditEntry.objects.filter(action="initiative.deleted", data__code=never_sent.code).exists()


def test_submit_accept_return_reject_follow_the_workflow_and_signal_after_commit(
    unit_staff, commune_reviewer, django_capture_on_commit_callbacks
):
    heard = []
    signals.initiative_status_changed.connect(lambda **kwargs: heard.append(
        (kwargs["from_status"], kwargs["to_status"], kwargs["actor"])), weak=False, dispatch_uid="test-heard")
    try:
        organization = unit_staff.staff_profile.organization
        one = InitiativeFactory(organization=organization, status=InitiativeStatus.DRAFT)
        with django_capture_on_commit_callbacks(execute=True):
            services.initiative_submit(initiative=one, acting_user=unit_staff)
            services.initiative_return(initiative=one, acting_user=commune_reviewer, reason="Bổ sung ảnh.")
            services.initiative_submit(initiative=one, acting_user=unit_staff)
            services.initiative_accept(initiative=one, acting_user=commune_reviewer)
        assert [(f, t) for f, t, _actor in heard] == [
            ("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted"), ("submitted", "accepted")]
        two = InitiativeFactory(organization=organization)
        with pytest.raises(ValidationError):
            services.initiative_reject(initiative=two, acting_user=commune_reviewer, reason="  ")
        with pytest.raises(PermissionDenied):
            services.initiative_accept(initiative=two, acting_user=unit_staff)
        services.initiative_reject(initiative=two, acting_user=commune_reviewer, reason="Trùng mô hình cũ.")
        assert Initiative.objects.get(pk=two.pk).status == InitiativeStatus.REJECTED
    finally:
        signals.initiative_status_changed.disconnect(dispatch_uid="test-heard")


def test_submit_refuses_an_incomplete_registration_and_a_second_click(unit_staff):
    organization = unit_staff.staff_profile.organization
    empty = InitiativeFactory(organization=organization, status=InitiativeStatus.DRAFT, situation="")
    with pytest.raises(services.WorkflowError):
        services.initiative_submit(initiative=empty, acting_user=unit_staff)
    ready = InitiativeFactory(organization=organization, status=InitiativeStatus.DRAFT)
    services.initiative_submit(initiative=ready, acting_user=unit_staff)
    with pytest.raises(services.AlreadySubmitted):
        services.initiative_submit(initiative=ready, acting_user=unit_staff)
    assert InitiativeTransition.objects.filter(initiative=ready, to_status="submitted").count() == 1


def test_discontinue_needs_a_reason_and_a_year_within_the_models_life(unit_staff, commune_reviewer):
    model = services.initiative_accept(
        initiative=InitiativeFactory(organization=unit_staff.staff_profile.organization, registration_year=2022),
        acting_user=commune_reviewer)
    with pytest.raises(ValidationError):
        services.initiative_discontinue(initiative=model, acting_user=unit_staff, reason="Giải thể.", year=2020)
    stopped = services.initiative_discontinue(initiative=model, acting_user=unit_staff, reason="Giải thể.",
                                              year=2024)
    assert (stopped.lifecycle, stopped.discontinued_year) == (Lifecycle.DISCONTINUED, 2024)


def test_yearly_result_save_corrects_a_year_instead_of_adding_one(unit_staff, commune_reviewer):
    model = services.initiative_accept(
        initiative=InitiativeFactory(organization=unit_staff.staff_profile.organization, registration_year=2024),
        acting_user=commune_reviewer)
    services.yearly_result_save(initiative=model, acting_user=unit_staff, year=2025, values={"participants": 10})
    services.yearly_result_save(initiative=model, acting_user=unit_staff, year=2025, values={"participants": 25})
    assert list(model.yearly_results.values_list("year", "participants")) == [(2025, 25)]
    with pytest.raises(ValidationError):
        services.yearly_result_save(initiative=model, acting_user=unit_staff, year=timezone.localdate().year + 1,
                                    values={})
    assert audit_actions(model).count("initiative.yearly_result_saved") == 2


def test_attachments_are_added_and_removed_by_the_owner_only(unit_staff, commune_reviewer, private_media):
    draft = InitiativeFactory(organization=unit_staff.staff_profile.organization, status=InitiativeStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        attachment_add(initiative=draft, acting_user=commune_reviewer, uploaded=pdf())
    attachment = attachment_add(initiative=draft, acting_user=unit_staff, uploaded=pdf())
    with pytest.raises(PermissionDenied):
        attachment_remove(attachment=attachment, acting_user=commune_reviewer)
    attachment_remove(attachment=attachment, acting_user=unit_staff)
    assert audit_actions(draft) == ["initiative.attachment_removed", "initiative.attachment_added"]


def test_organization_save_keeps_organisations_inside_the_area(provincial_board, commune_reviewer):
    created = services.organization_save(organization=Organization(
        name="Hội Khuyến học xã Sơn Hà", category="front", unit=unit("Xã Sơn Hà")), acting_user=provincial_board)
    created.name = "Hội Khuyến học xã Sơn Hà (mới)"
    services.organization_save(organization=created, acting_user=provincial_board)
    assert audit_actions(created) == ["organization.changed", "organization.created"]
    with pytest.raises(PermissionDenied):
        services.organization_save(organization=Organization(
            name="Ngoài tỉnh", category="front", unit=unit("Phường Hải Châu")), acting_user=provincial_board)
    with pytest.raises(PermissionDenied):  # a reviewer does not manage organisations
        services.organization_save(organization=created, acting_user=commune_reviewer)


def test_field_save_is_for_administrators(provincial_board, admin_user):
    theme = ActivityField(code="khuyen-hoc", name="Khuyến học", parent=standard_field("van-hoa-xa-hoi"), order=20)
    with pytest.raises(PermissionDenied):
        services.field_save(field=theme, acting_user=provincial_board)
    services.field_save(field=theme, acting_user=admin_user)
    assert audit_actions(theme) == ["field.created"]


def test_staff_user_assign_and_user_save_stay_within_the_area_and_rank(provincial_board, admin_user,
                                                                       django_capture_on_commit_callbacks):
    User = get_user_model()
    account = User(username="canbo_sonha", email="sonha@example.vn", last_name="Lê Văn", first_name="Bình")
    people.user_save(acting_user=provincial_board, user=account, created=True)
    organization = organization_in("Xã Sơn Hà", name="Hội Nông dân xã Sơn Hà")
    people.staff_user_assign(acting_user=provincial_board, user=account, role=roles.UNIT_STAFF,
                             unit=organization.unit, organization=organization, created=True)
    assert StaffProfile.objects.get(user=account).organization == organization
    with pytest.raises(ValidationError):
        people.staff_user_assign(acting_user=provincial_board, user=account, role=roles.SYSTEM_ADMIN,
                                 unit=organization.unit, organization=None)
    account.is_superuser = True  # a board member cannot make a superuser, whatever the form sends
    people.user_save(acting_user=provincial_board, user=account, created=False)
    assert not User.objects.get(pk=account.pk).is_superuser
    with pytest.raises(PermissionDenied):
        people.user_delete(acting_user=provincial_board, user=account)
    pk = account.pk
    people.user_delete(acting_user=admin_user, user=account)
    assert set(AuditEntry.objects.filter(object_id=str(pk)).values_list("action", flat=True)) == {
        "user.created", "user.assigned", "user.deleted"}
