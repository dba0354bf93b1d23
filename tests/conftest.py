import pytest

from models_registry import roles
from models_registry.models import AdministrativeUnit, OrganizationCategory
from models_registry.units import load_units

from .factories import OrganizationFactory, persona, unit

# Today's Quảng Ngãi (with the old Quảng Ngãi and Kon Tum) and today's Đà Nẵng (with the old Quảng Nam).
TEST_PROVINCES = ("51", "48")


def ensure_units():
    if not AdministrativeUnit.objects.filter(edition_id="2025", code__in=TEST_PROVINCES).count() == 2:
        for code in TEST_PROVINCES:
            load_units(code)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_units()


@pytest.fixture
def units(db):
    """The loaded units; reloaded when a transactional test has flushed the tables."""
    ensure_units()


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
