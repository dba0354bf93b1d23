"""Factories for tests; administrative units are real rows loaded from the package, never invented."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from models_registry import people
from models_registry.models import (
    ActivityField,
    AdministrativeUnit,
    Initiative,
    InitiativeKind,
    InitiativeOrigin,
    InitiativeStatus,
    Organization,
    OrganizationCategory,
    StaffProfile,
    YearlyResult,
)
from models_registry.services import reviewing_unit_for


def unit(name: str, edition: str = "2025") -> AdministrativeUnit:
    """A loaded unit by its full name, e.g. unit("Xã Minh Long") or unit("Huyện Minh Long", "pre2025")."""
    return AdministrativeUnit.objects.get(edition_id=edition, name=name)


def standard_field(code: str = "kinh-te") -> ActivityField:
    return ActivityField.objects.get(code=code)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Hội Liên hiệp Phụ nữ số {n}")
    category = OrganizationCategory.FRONT_AND_UNIONS
    unit = factory.LazyFunction(lambda: unit("Xã Minh Long"))


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    code = factory.Sequence(lambda n: f"DVK-TEST-{n:06d}")
    title = factory.Sequence(lambda n: f"Mô hình “Dân vận khéo” số {n}")
    kind = InitiativeKind.COLLECTIVE
    origin = InitiativeOrigin.NEW
    organization = factory.SubFactory(OrganizationFactory)
    unit = factory.LazyAttribute(lambda o: o.organization.unit)
    review_unit = factory.LazyAttribute(lambda o: reviewing_unit_for(o.organization))
    field = factory.LazyFunction(standard_field)
    registration_year = 2024
    status = InitiativeStatus.SUBMITTED
    situation = "Nhiều hộ gia đình còn khó khăn, đường làng chưa được thắp sáng."
    objectives = "100% hộ hội viên tham gia; thắp sáng 3 km đường làng trong năm."
    content_methods = "Vận động hội viên đóng góp ngày công, kinh phí; phân công chi hội phụ trách từng tuyến."
    contact_name = "Nguyễn Thị Hoa"
    contact_phone = "0905123456"


class YearlyResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearlyResult

    initiative = factory.SubFactory(InitiativeFactory)
    year = 2024
    participants = 120
    beneficiaries = 300
    value_mobilised = 150_000_000
    workdays = 450


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    is_staff = True
    password = factory.django.Password("Mat-khau-2025")


def persona(*, role: str, unit_obj: AdministrativeUnit, organization: Organization | None = None, **user_fields):
    """A user in a role group with a staff profile at the given unit (and organisation)."""
    user_fields.setdefault("is_staff", people.staff_status_for(role))
    user = UserFactory(**user_fields)
    user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.create(user=user, unit=unit_obj, organization=organization)
    return get_user_model().objects.get(pk=user.pk)  # fresh object: no cached permissions or scope



# --- Admin and workflow tests -------------------------------------------------------------------------


def superuser(username: str = "quantri"):
    return get_user_model().objects.create_superuser(username=username, email=f"{username}@example.vn",
                                                     password="Mat-khau-2025")


def organization_in(unit_name: str, edition: str = "2025", name: str | None = None, **fields) -> Organization:
    """An organisation of the given (real) unit."""
    return OrganizationFactory(unit=unit(unit_name, edition), name=name or f"Hội Nông dân {unit_name}", **fields)


def database_url(settings_dict, name: str | None = None) -> str:
    """A PostgreSQL URL for a connection's settings (another database name on the same server if given)."""
    return "postgres://{user}{password}@{host}:{port}/{name}".format(
        user=settings_dict.get("USER") or "postgres",
        password=f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else "",
        host=settings_dict.get("HOST") or "127.0.0.1", port=settings_dict.get("PORT") or 5432,
        name=name or settings_dict["NAME"])
