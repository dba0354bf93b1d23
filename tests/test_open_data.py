"""The catalogue as open data: accepted models only, no contact data, the page's filters, formula-safe CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from models_registry.models import InitiativeStatus

from .factories import InitiativeFactory, organization_in


@pytest.fixture
def catalogue(units):
    body = organization_in("Xã Minh Long", name='=HYPERLINK("http://evil.example","Bấm vào")')
    accepted = InitiativeFactory(organization=body, title="=1+1", status=InitiativeStatus.ACCEPTED,
                                 registration_year=2024, contact_name="Nguyễn Thị Liên Hệ",
                                 contact_phone="0905999888", contact_email="lienhe@example.vn")
    older = InitiativeFactory(organization=body, title="Mô hình Hũ gạo tình thương", registration_year=2023,
                              status=InitiativeStatus.ACCEPTED)
    draft = InitiativeFactory(organization=body, title="Bản nháp chưa gửi", status=InitiativeStatus.DRAFT)
    submitted = InitiativeFactory(organization=body, title="Hồ sơ đang chờ thẩm định")
    return {"accepted": accepted, "older": older, "draft": draft, "submitted": submitted}


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]))), text


def _json(response):
    return json.loads(b"".join(response.streaming_content).decode("utf-8"))


def test_only_accepted_models_and_no_contact_data(client, catalogue):
    response = client.get(reverse("portal:catalogue_csv"))
    assert response.status_code == 200 and response.streaming
    rows, text = _csv(response)
    codes = {row[0] for row in rows[1:]}
    assert codes == {catalogue["accepted"].code, catalogue["older"].code}
    for secret in ("0905999888", "lienhe@example.vn", "Nguyễn Thị Liên Hệ", "Bản nháp", "chờ thẩm định"):
        assert secret not in text
    data = _json(client.get(reverse("portal:catalogue_json")))
    assert {row["code"] for row in data["results"]} == codes
    keys = set(data["results"][0])
    assert not keys & {"contact_name", "contact_phone", "contact_email", "phone", "email"}
    assert "0905999888" not in json.dumps(data, ensure_ascii=False)


def test_typed_formulas_come_out_as_text(client, catalogue):
    rows, _text = _csv(client.get(reverse("portal:catalogue_csv")))

    row = next(row for row in rows[1:] if row[0] == catalogue["accepted"].code)
    assert row[1] == "'=1+1"
    organization = row[7]  # the registering organisation (open_data.COLUMNS)
    assert organization == "'=HYPERLINK(\"http://evil.example\",\"Bấm vào\")"
    assert not any(cell.startswith(("=", "+", "@")) for line in rows for cell in line)
    data = _json(client.get(reverse("portal:catalogue_json")))
    record = next(r for r in data["results"] if r["code"] == catalogue["accepted"].code)
    assert record["title"] == "=1+1"  # JSON carries the text exactly; no program evaluates it


def test_the_pages_filters_apply(client, catalogue):
    rows, _text = _csv(client.get(reverse("portal:catalogue_csv"), {"year": "2023"}))
    assert [row[0] for row in rows[1:]] == [catalogue["older"].code]
    data = _json(client.get(reverse("portal:catalogue_json"), {"q": "hu gao"}))
    assert [row["code"] for row in data["results"]] == [catalogue["older"].code]
    assert data["meta"]["filters"] == {"q": "hu gao"}


def test_the_catalogue_links_to_its_data(client, catalogue):
    page = client.get(reverse("portal:catalogue"), {"year": "2023"}).content.decode()
    assert reverse("portal:catalogue_csv") + "?year=2023" in page
    assert reverse("portal:catalogue_json") + "?year=2023" in page


def test_open_data_reflects_imported_ratings(client, catalogue, provincial_board):
    from evaluations.models import Rating
    from evaluations.services import record_past_results

    from .factories import unit

    top = Rating.objects.get(name="Tiêu biểu")
    record_past_results(acting_user=provincial_board, title="Hội nghị 2025", kind="yearly", year_from=2025,
                        year_to=2025, host_unit=unit("Xã Minh Long"),
                        results=[{"initiative": catalogue["accepted"], "rating": top, "recognised": True}])
    data = _json(client.get(reverse("portal:catalogue_json"), {"rating": str(top.pk)}))
    assert [(r["code"], r["latest_rating"], r["latest_rating_year"]) for r in data["results"]] == [
        (catalogue["accepted"].code, "Tiêu biểu", 2025)]


def test_open_data_answers_only_get(client, catalogue):
    assert client.post(reverse("portal:catalogue_csv")).status_code == 405
