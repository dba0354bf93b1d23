from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from models_registry import roles
from models_registry.models import AdministrativeUnit, Organization, OrganizationCategory, StaffProfile, UnitLevel

DEMO_PASSWORD = "DanVan@2026"
PREFERRED_COMMUNE = "Xã Minh Long"


class Command(BaseCommand):
    help = "Create the demo accounts (superuser, provincial board, commune reviewer, unit staff) if missing."

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):  # the operator reads Vietnamese
            self.create_accounts()

    def create_accounts(self):
        province = AdministrativeUnit.objects.current().filter(
            code=settings.DANVAN_DEFAULT_PROVINCE_CODE, level=UnitLevel.PROVINCE
        ).first()
        if province is None:
            raise CommandError(_("Load the administrative units first: manage.py load_units"))
        communes = AdministrativeUnit.objects.filter(parent=province, level=UnitLevel.COMMUNE).order_by("path")
        commune = communes.filter(name=PREFERRED_COMMUNE).first() or communes.first()
        women_union, _created = Organization.objects.get_or_create(
            unit=commune, name=f"Hội Liên hiệp Phụ nữ {commune.name[:1].lower()}{commune.name[1:]}",
            defaults={"category": OrganizationCategory.FRONT_AND_UNIONS},
        )
        # (username, family and middle name, given name, role, unit, organisation, superuser)
        accounts = [
            ("admin", "Quản trị", "viên", None, province, None, True),
            ("bantinh", "Trần Thị", "Hạnh", roles.PROVINCIAL_BOARD, province, None, False),
            ("thamdinh.xa", "Phạm Văn", "Long", roles.REVIEWER, commune, None, False),
            ("canbo.donvi", "Đinh Thị", "Lan", roles.UNIT_STAFF, commune, women_union, False),
        ]
        User = get_user_model()
        rows = []
        for username, last_name, first_name, role, unit, organization, is_superuser in accounts:
            user = User.objects.filter(username=username).first()
            state = _("already there, password unchanged")
            if user is None:
                user = User.objects.create_user(
                    username=username, password=DEMO_PASSWORD, email=f"{username}@example.vn",
                    first_name=first_name, last_name=last_name, is_staff=True, is_superuser=is_superuser,
                )
                state = _("created")
            elif (user.last_name, user.first_name) != (last_name, first_name):
                user.last_name, user.first_name = last_name, first_name
                user.save(update_fields=["last_name", "first_name"])
            if role:
                user.groups.add(Group.objects.get(name=role))
            StaffProfile.objects.update_or_create(user=user, defaults={"unit": unit, "organization": organization})
            where = organization.name if organization else unit.name
            who = role or _("system administrator")
            rows.append(f"  {username:<14} {last_name} {first_name} ({who}) — {where}: {state}")
        self.stdout.write(_("Demo accounts (new ones have the password %(password)s):")
                          % {"password": DEMO_PASSWORD} + "\n" + "\n".join(rows))
