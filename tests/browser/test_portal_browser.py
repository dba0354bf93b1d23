"""End to end in Chromium: register with an attachment, submit (double click), accept in the admin, find it in
the catalogue with a search typed without diacritics; a returned model shows its reason to the unit.

Screenshots of the home page, catalogue, detail page and registration form (1280 px and 375 px) are saved
into artefacts/screenshots/.
"""

import os

import pytest
from playwright.sync_api import expect

from models_registry.models import Initiative, InitiativeStatus, InitiativeTransition

from ..factories import InitiativeFactory, YearlyResultFactory
from .conftest import log_in, screenshot

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Mô hình “Tổ phụ nữ đảm đang giữ gìn đường làng sạch đẹp”"


@pytest.fixture
def attachment_file(tmp_path):
    path = tmp_path / "ke-hoach-thuc-hien.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    return path


def test_staff_registers_reviewer_accepts_and_the_public_finds_it(new_page, unit_staff, commune_reviewer,
                                                                  attachment_file, monkeypatch, tmp_path):
    from django.core.files.storage import FileSystemStorage

    from models_registry.models import Attachment

    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage",
                        FileSystemStorage(location=tmp_path / "private", base_url=None))
    # Something already public, so that the home page and the catalogue have content around the new model.
    neighbour = InitiativeFactory(status=InitiativeStatus.ACCEPTED, title="Mô hình “Hũ gạo tình thương”",
                                  registration_year=2024)
    YearlyResultFactory(initiative=neighbour, year=2024, value_mobilised=125_000_000)

    # 1. The unit's staff member logs in and fills in the registration form.
    staff = new_page()
    log_in(staff, unit_staff.username, path="/tai-khoan/dang-nhap/?next=/can-bo/mo-hinh/dang-ky/")
    assert staff.url.endswith("/can-bo/mo-hinh/dang-ky/")
    staff.fill("#id_title", TITLE)
    # It replicates a catalogue model, picked by a search typed without diacritics.
    staff.check("input[name=origin][value=replicated]")
    staff.fill("#source-search", "hu gao")
    expect(staff.locator("#id_replicated_from")).not_to_have_value("")  # no wait_for_function: the CSP
    staff.select_option("#id_field", label="Văn hóa – xã hội")
    staff.fill("#id_start_date", "01/03/2025")
    staff.fill("#id_situation", "Đường làng nhiều đoạn còn rác thải, cỏ dại.")
    staff.fill("#id_objectives", "100% hộ hội viên tham gia dọn vệ sinh mỗi tháng.")
    staff.fill("#id_content_methods", "Chia tuyến đường cho từng chi hội, ra quân sáng chủ nhật cuối tháng.")
    staff.fill("#id_budget_amount", "12500000")
    staff.fill("#id_contact_name", "Đinh Thị Lan")
    staff.fill("#id_contact_phone", "0912345678")
    screenshot(staff, "registration-form")
    staff.click("button[value=save]")
    staff.wait_for_url("**/can-bo/mo-hinh/*/")
    initiative = Initiative.objects.get(title=TITLE)
    assert initiative.status == InitiativeStatus.DRAFT
    assert initiative.replicated_from == neighbour

    # 2. A plan is attached to the draft.
    staff.select_option("#id_kind", "plan")
    staff.set_input_files("#id_file", str(attachment_file))
    staff.click("form[enctype='multipart/form-data'] button[type=submit]")
    staff.wait_for_load_state()
    assert staff.locator("a", has_text="ke-hoach-thuc-hien.pdf").count() == 1

    # 3. "Gửi" double-clicked: one question ("send it to the board?"), answered yes, and one submission.
    questions = []
    staff.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    staff.dblclick("form[action$='/gui/'] button[type=submit]")
    staff.wait_for_load_state()
    staff.wait_for_timeout(300)
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.SUBMITTED
    assert InitiativeTransition.objects.filter(initiative=initiative, to_status="submitted").count() == 1
    assert len(questions) == 1 and "thẩm định" in questions[0]

    # 4. The commune's reviewer accepts it in the admin.
    reviewer = new_page()
    log_in(reviewer, commune_reviewer.username, path="/admin/login/?next=/admin/")
    reviewer.goto(f"/admin/models_registry/initiative/{initiative.pk}/change/")
    reviewer.click("[data-transition=accept]")
    reviewer.wait_for_url("**/transition/accept/")  # a confirmation page first
    reviewer.click("#content-main form [type=submit]")
    reviewer.wait_for_load_state()
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.ACCEPTED

    # 5. The public finds it with a search typed without diacritics.
    public = new_page()
    public.goto("/")
    screenshot(public, "home")
    public.goto("/danh-muc/")
    public.fill("#id_q", "to phu nu dam dang")
    public.click("form.filters button[type=submit]")
    public.wait_for_load_state()
    assert "q=to+phu+nu+dam+dang" in public.url
    result = public.locator("a.card-title", has_text="Tổ phụ nữ đảm đang")
    assert result.count() == 1
    assert public.locator("a.card-title", has_text="Hũ gạo").count() == 0
    screenshot(public, "catalogue")
    result.click()
    public.wait_for_url(f"**/mo-hinh/{initiative.code}/")
    body = public.inner_text("main")
    assert "Tổ phụ nữ đảm đang" in body
    assert "0912345678" not in body
    assert public.locator(".lineage a", has_text="Hũ gạo tình thương").count() == 1
    screenshot(public, "detail")
    # …and the source model now lists it among its replications.
    public.goto(f"/mo-hinh/{neighbour.code}/")
    assert public.locator(".lineage a", has_text="Tổ phụ nữ đảm đang").count() == 1


def test_returned_model_shows_the_reviewers_reason_to_the_unit(new_page, unit_staff, commune_reviewer):
    initiative = InitiativeFactory(organization=unit_staff.staff_profile.organization,
                                   status=InitiativeStatus.SUBMITTED, title="Mô hình “Dân vận khéo” chờ duyệt")
    reviewer = new_page()
    log_in(reviewer, commune_reviewer.username, path="/admin/login/?next=/admin/")
    reviewer.goto(f"/admin/models_registry/initiative/{initiative.pk}/transition/return/")
    reviewer.fill("#id_reason", "Bổ sung kế hoạch chi tiết và ảnh hoạt động.")
    reviewer.click("#content-main form [type=submit]")
    reviewer.wait_for_load_state()
    initiative.refresh_from_db()
    assert initiative.status == InitiativeStatus.RETURNED

    staff = new_page(375)
    log_in(staff, unit_staff.username, path="/tai-khoan/dang-nhap/?next=/can-bo/mo-hinh/")
    item = staff.locator(".staff-item", has_text="chờ duyệt")
    assert "Bổ sung kế hoạch chi tiết và ảnh hoạt động." in item.inner_text()
    screenshot(staff, "staff-list")
    staff.click(f"a[href='/can-bo/mo-hinh/{initiative.pk}/']")
    staff.click("a[href$='/sua/']")
    assert "Bổ sung kế hoạch chi tiết và ảnh hoạt động." in staff.inner_text(".notice")
