from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from models_registry import plugins, roles
from models_registry.demo import seed_work_to_do
from models_registry.demo_accounts import DEMO_PASSWORD, demo_place, ensure_account
from models_registry.models import Organization, OrganizationCategory
from models_registry.statistics import refresh_tallies


class Command(BaseCommand):
    help = "Create the demo accounts (superuser, provincial board, commune reviewer, unit staff, and those of "
    help += "the other apps) if missing, each with something to do."

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):  # the operator reads Vietnamese
            self.create_accounts()

    def create_accounts(self):
        place = demo_place()
        if place is None:
            raise CommandError(_("Load the administrative units first: manage.py load_units"))
        province, commune = place.province, place.commune
        women_union, _created = Organization.objects.get_or_create(
            unit=commune, name=f"Hội Liên hiệp Phụ nữ {commune.name[:1].lower()}{commune.name[1:]}",
            defaults={"category": OrganizationCategory.FRONT_AND_UNIONS},
        )
        accounts = [
            ("admin", "Quản trị", "viên", None, province, None, True),
            ("bantinh", "Trần Thị", "Hạnh", roles.PROVINCIAL_BOARD, province, None, False),
            ("thamdinh.xa", "Phạm Văn", "Long", roles.REVIEWER, commune, None, False),
            ("canbo.donvi", "Đinh Thị", "Lan", roles.UNIT_STAFF, commune, women_union, False),
        ]
        rows = []
        for username, family, given, role, unit, organization, superuser in accounts:
            _user, row = ensure_account(username, family, given, role=role, unit=unit, organization=organization,
                                        superuser=superuser)
            rows.append(row)
        if seed_work_to_do(commune, women_union):  # inserted in bulk, this year
            refresh_tallies(timezone.localdate().year)
        for provider in plugins.demo_account_providers():
            rows.extend(provider(place))
        self.stdout.write(_("Demo accounts (new ones have the password %(password)s):")
                          % {"password": DEMO_PASSWORD} + "\n" + "\n".join(rows))
