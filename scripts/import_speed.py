"""How fast the admin import preview and the file checks are: prints figures, asserts nothing.

`python -m scripts.import_speed` builds a throwaway SQLite database (IMPORT_SPEED_ROWS initiatives, default
2,000), exports them through the admin as the provincial board and as an administrator, then times the
import preview (the dry run every import starts with) of the unchanged export, of an export with one row in
ten edited, and of the CSV export; and the refusal of a zip bomb. The import of past records at
/admin/nhap-du-lieu/ (a 10,000-row initiatives file beside bulk_create) is timed by scripts/import_bench.py.
"""

import io
import os
import sys
import tempfile
import time
import zipfile

DB = os.path.join(tempfile.mkdtemp(), "import_speed.sqlite3")
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from models_registry import files, roles  # noqa: E402
from models_registry.models import (  # noqa: E402
    ActivityField,
    AdministrativeUnit,
    Initiative,
    InitiativeStatus,
    Organization,
    StaffProfile,
)
from models_registry.resources import InitiativeResource  # noqa: E402
from models_registry.services import reviewing_unit_for  # noqa: E402
from models_registry.units import load_units  # noqa: E402

ROWS = int(os.environ.get("IMPORT_SPEED_ROWS", 2000))


def seed():
    call_command("migrate", verbosity=0)
    load_units("51")
    province = AdministrativeUnit.objects.get(edition__is_current=True, code="51")
    commune = AdministrativeUnit.objects.filter(parent=province).first()
    organization = Organization.unscoped.create(name="Hội Liên hiệp Phụ nữ", category="front", unit=commune)
    field = ActivityField.objects.first()
    Initiative.unscoped.bulk_create([
        Initiative(code=f"DVK-51-2025-{n:05d}", title=f"Mô hình “Dân vận khéo” số {n}", kind="collective",
                   origin="new", organization=organization, unit=commune, review_unit=reviewing_unit_for(organization),
                   field=field, registration_year=2025, budget_amount=1_234_567 * n,
                   situation="Dòng một\r\nDòng hai", contact_phone="0905123456",
                   status=InitiativeStatus.DRAFT if n % 2 else InitiativeStatus.SUBMITTED, search_text="")
        for n in range(ROWS)
    ])
    admin = get_user_model().objects.create_superuser("quantri", "q@example.vn", "x")
    board = get_user_model().objects.create_user("bantinh", "b@example.vn", "x", is_staff=True)
    board.groups.add(Group.objects.get(name=roles.PROVINCIAL_BOARD))
    StaffProfile.objects.create(user=board, unit=province)
    return admin, board


def export(client, file_format):
    data = {"format": file_format, "resource": "0"}
    data.update({f"initiativeresource_{name}": "on" for name in InitiativeResource().get_export_order()})
    return client.post(reverse("admin:models_registry_initiative_export"), data).content


def preview(client, content, file_format, name):
    # CPU time of this process: the figure that does not depend on what else the machine runs.
    started = time.process_time()
    response = client.post(reverse("admin:models_registry_initiative_import"), {
        "resource": "0", "format": file_format, "import_file": SimpleUploadedFile(name, content)})
    elapsed = time.process_time() - started
    counts = response.context["preview"]["counts"] if response.context and "preview" in response.context else {}
    return elapsed, counts, len(response.content)


def edited(content):
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    title = [cell.value for cell in sheet[1]].index("Tên mô hình") + 1
    for row in range(2, sheet.max_row + 1, 10):
        sheet.cell(row=row, column=title).value = f"{sheet.cell(row=row, column=title).value} (sửa)"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb_refusal():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b" " * (1024 * 1024)
            for _ in range(1024):  # 1 GiB unpacked
                sheet.write(chunk)
    bomb = buffer.getvalue()
    started = time.perf_counter()
    try:
        files.read_xlsx(io.BytesIO(bomb))
    except files.FileRefused:
        pass
    return len(bomb), time.perf_counter() - started


def main():
    admin, board = seed()
    for who, user in (("board", board), ("administrator", admin)):
        client = Client()
        client.force_login(user)
        xlsx, csv = export(client, "1"), export(client, "0")
        for label, content, file_format, name in (
            ("xlsx unchanged", xlsx, "1", "a.xlsx"),
            ("xlsx, 1 row in 10 edited", edited(xlsx), "1", "b.xlsx"),
            ("csv unchanged", csv, "0", "a.csv"),
        ):
            elapsed, counts, size = preview(client, content, file_format, name)
            print(f"{who:13} {label:26} {ROWS} rows: {elapsed:5.2f} s CPU = {ROWS / elapsed:6.0f} rows/s "
                  f"{counts}, page {size / 1024:.0f} KB")
    size, elapsed = zip_bomb_refusal()
    print(f"zip bomb of {size / 1024:.0f} KB unpacking to 1 GiB refused in {elapsed * 1000:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
