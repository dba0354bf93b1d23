import pytest

from models_registry.text import fold_for_search, search_document

from .factories import InitiativeFactory, OrganizationFactory, unit


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đà Nẵng", "da nang"),
        ("Dân vận khéo", "dan van kheo"),
        ("ĐẢNG CỘNG SẢN VIỆT NAM", "dang cong san viet nam"),
        ("Hũ gạo tình thương", "hu gao tinh thuong"),
        ("Quốc phòng – an ninh", "quoc phong an ninh"),
        ("  Xã   Minh\tLong ", "xa minh long"),
        ("Thuỷ lợi / Thủy lợi", "thuy loi thuy loi"),
        ("Mô hình “Dân vận khéo” số 3, năm 2025.", "mo hinh dan van kheo so 3 nam 2025"),
        ("Tổ dân phố_5 (Khu-A)", "to dan pho 5 khu a"),
    ],
)
def test_folding_removes_diacritics_case_and_punctuation(text, folded):
    assert fold_for_search(text) == folded


def test_folding_joins_parts_and_skips_empty_ones():
    folded = fold_for_search("DVK-51-2024-00001", None, "", "Nồi cơm tình thương")
    assert folded == "dvk 51 2024 00001 noi com tinh thuong"


def test_search_document_puts_each_word_after_a_space_and_ends_each_field():
    assert search_document("Hũ gạo “tình thương”", "DVK-51-2021-00011", "", "Hội LHPN xã Minh Long") == (
        " hu gao tinh thuong | dvk 51 2021 00011 | hoi lhpn xa minh long |")
    assert search_document("Xã Minh Long", "Minh Long", "21490") == " xa minh long | minh long | 21490 |"


def test_search_columns_follow_saved_text(units):
    organization = OrganizationFactory(name="Đoàn Thanh niên xã Đức Phổ")
    initiative = InitiativeFactory(title="Điện thắp sáng đường quê", organization=organization)
    assert organization.search_text == " doan thanh nien xa duc pho |"
    assert initiative.search_text.startswith(" dien thap sang duong que |")
    assert initiative.search_text.endswith("| doan thanh nien xa duc pho |")
    assert unit("Xã Minh Long").search_text.startswith(" xa minh long | minh long |")

    initiative.title = "Đường hoa nông thôn mới"
    initiative.save()
    initiative.refresh_from_db()
    assert "duong hoa nong thon moi" in initiative.search_text
    assert "dien thap sang" not in initiative.search_text


def test_initiatives_are_found_by_their_organisations_name_even_after_a_rename(units):
    from models_registry.models import Initiative

    organization = OrganizationFactory(name="Hội Cựu chiến binh xã Minh Long")
    initiative = InitiativeFactory(title="Đoạn đường tự quản", organization=organization)
    assert Initiative.objects.filter(search_text__contains="cuu chien binh").get() == initiative

    organization.name = "Hội Nông dân xã Minh Long"
    organization.save()
    assert not Initiative.objects.filter(search_text__contains="cuu chien binh").exists()
    assert Initiative.objects.filter(search_text__contains="hoi nong dan").get() == initiative
