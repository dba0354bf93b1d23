from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from awards.models import AwardForm
from evaluations.models import Rating
from models_registry import roles
from models_registry.models import ActivityField, AdministrativeUnit, OrganizationCategory
from models_registry.units import load_units

from .factories import OrganizationFactory, persona, unit

# Today's Quảng Ngãi (with the old Quảng Ngãi and Kon Tum) and today's Đà Nẵng (with the old Quảng Nam).
TEST_PROVINCES = ("51", "48")


def ensure_reference_data():
    """Units, role groups and standard fields, which loaders and data migrations create.

    A transactional test (browser, race) ends by flushing every table; the next test calls this again.
    """
    if not AdministrativeUnit.objects.filter(edition_id="2025", code__in=TEST_PROVINCES).count() == 2:
        for code in TEST_PROVINCES:
            load_units(code)
    if not Group.objects.filter(name=roles.UNIT_STAFF).exists():
        roles.create_extra_permissions(ContentType, Permission)
        roles.sync_roles(Group, Permission)
    if not ActivityField.objects.exists():
        import_module("models_registry.migrations.0002_standard_fields").create_fields(apps, None)
    if not Rating.objects.exists():
        import_module("evaluations.migrations.0002_default_criteria_and_ratings").create_defaults(apps, None)
    if not AwardForm.objects.exists():
        import_module("awards.migrations.0002_default_award_forms").create_forms(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_reference_data()


@pytest.fixture
def units(db):
    """The loaded units (and roles and fields), restored when a transactional test has flushed the tables."""
    ensure_reference_data()


# --- Personas ----------------------------------------------------------------------------------------


@pytest.fixture
def commune_reviewer(units):
    """A reviewer on the board of today's Xã Minh Long (Quảng Ngãi)."""
    return persona(role=roles.REVIEWER, unit_obj=unit("Xã Minh Long"), username="thamdinh_minhlong")


@pytest.fixture
def district_reviewer(units):
    """A reviewer keeping the pre-2025 records of the old Minh Long district."""
    return persona(role=roles.REVIEWER, unit_obj=unit("Huyện Minh Long", "pre2025"), username="thamdinh_huyen")


@pytest.fixture
def provincial_board(units):
    """A member of today's Quảng Ngãi provincial board."""
    return persona(role=roles.PROVINCIAL_BOARD, unit_obj=unit("Tỉnh Quảng Ngãi"), username="ban_tinh")


@pytest.fixture
def unit_staff(units):
    """Staff of the Women's Union of Xã Minh Long."""
    organization = OrganizationFactory(name="Hội Liên hiệp Phụ nữ xã Minh Long", unit=unit("Xã Minh Long"))
    return persona(role=roles.UNIT_STAFF, unit_obj=organization.unit, organization=organization,
                   username="canbo_minhlong")


@pytest.fixture
def other_province_staff(units):
    """Staff of an organisation in today's Đà Nẵng: outside every Quảng Ngãi scope."""
    organization = OrganizationFactory(
        name="Hội Nông dân phường Hải Châu", unit=unit("Phường Hải Châu"),
        category=OrganizationCategory.FRONT_AND_UNIONS,
    )
    return persona(role=roles.UNIT_STAFF, unit_obj=organization.unit, organization=organization,
                   username="canbo_danang")


# --- Admin, scope and workflow tests --------------------------------------------------------------------


@pytest.fixture
def admin_user(units):
    from .factories import superuser

    return superuser()


@pytest.fixture
def scenario(units, unit_staff, other_province_staff):
    """One submitted initiative in each place the personas care about (see tests/test_admin_permissions.py).

    own_org      – the unit_staff persona's Women's Union of today's Xã Minh Long
    same_commune – another body of today's Xã Minh Long
    sibling      – a body of Xã Sơn Hà, another commune of today's Quảng Ngãi
    old_commune  – a body of the old Xã Long Hiệp (pre-2025, now part of Xã Minh Long), registered in 2024
    old_commune_party – the old Xã Long Hiệp's Party committee (reviewed by the old Huyện Minh Long)
    old_other    – a body of the old Xã Long Sơn (pre-2025 Huyện Minh Long too, now part of another commune)
    old_district – a body of the old Xã Sơn Hạ in old Huyện Sơn Hà (a sibling district)
    old_quang_nam– a body of the old Quảng Nam (today in Đà Nẵng)
    danang       – the other_province_staff persona's Farmers' Association of Phường Hải Châu
    """
    from .factories import InitiativeFactory, organization_in

    own_org = unit_staff.staff_profile.organization
    places = {
        "own_org": own_org,
        "same_commune": organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long"),
        "sibling": organization_in("Xã Sơn Hà", name="Hội Cựu chiến binh xã Sơn Hà"),
        "old_commune": organization_in("Xã Long Hiệp", "pre2025", name="Chi hội Phụ nữ xã Long Hiệp"),
        "old_commune_party": organization_in("Xã Long Hiệp", "pre2025", name="Đảng ủy xã Long Hiệp",
                                             category=OrganizationCategory.PARTY_COMMITTEE),
        "old_other": organization_in("Xã Long Sơn", "pre2025", name="Đoàn Thanh niên xã Long Sơn"),
        "old_district": organization_in("Xã Sơn Hạ", "pre2025", name="Hội Nông dân xã Sơn Hạ"),
        "old_quang_nam": organization_in("Xã Tam Thăng", "pre2025", name="Hội Phụ nữ xã Tam Thăng"),
        "danang": other_province_staff.staff_profile.organization,
    }
    titles = {
        "own_org": "Mô hình Hũ gạo tình thương",
        "same_commune": "Mô hình Nông dân giúp nhau làm giàu",
        "sibling": "Mô hình Cựu chiến binh giữ rừng",
        "old_commune": "Mô hình Chi hội phụ nữ 5 không 3 sạch",
        "old_commune_party": "Mô hình Đảng viên gương mẫu ở khu dân cư",
        "old_other": "Mô hình Thanh niên tình nguyện làm đường",
        "old_district": "Mô hình Tổ hợp tác trồng quế",
        "old_quang_nam": "Mô hình Phụ nữ Tam Thăng giữ sạch dòng sông",
        "danang": "Mô hình Nông dân Hải Châu trồng rau sạch",
    }
    return {
        key: InitiativeFactory(organization=organization, title=titles[key],
                               registration_year=2024 if organization.unit.edition_id == "pre2025" else 2025)
        for key, organization in places.items()
    }


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached statistics of one test must not show up in the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Tests create many accounts; the production hasher costs ~0.4 s per password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def private_media(tmp_path, monkeypatch):
    """Attachments stored under a temporary directory instead of var/private."""
    from django.core.files.storage import FileSystemStorage

    from models_registry.models import Attachment

    location = tmp_path / "private"
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage",
                        FileSystemStorage(location=location, base_url=None))
    return location

