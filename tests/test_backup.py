"""`manage.py backup` and `manage.py restore` (`make backup`, `make restore`): a restored copy holds the same
rows and files; a database with data, a damaged backup or another engine's backup is refused, nothing written.

The backup reads the database from outside the test's transaction (pg_dump is another process), so these tests
commit (transaction=True). On PostgreSQL the copy goes into a second database, on SQLite into a second file.
"""

import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from models_registry.attachments import attachment_add
from models_registry.backups import Target
from models_registry.models import Attachment, Initiative, InitiativeStatus

from .factories import InitiativeFactory, database_url

PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8


def run(command, *args, **options) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, no_color=True, **options)
    return out.getvalue()


@pytest.fixture
def second_database(tmp_path):
    """A database URL of the same engine as the suite's, empty, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings_dict = connection.settings_dict
    name = f"{settings_dict['NAME']}_restored"
    url = database_url(settings_dict, name)
    server = Target({**settings_dict, "NAME": "postgres"})

    def drop():
        with server.connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    yield url
    drop()


@pytest.fixture
def files(tmp_path, settings, private_media):
    """Uploaded files under a temporary folder, the settings pointing there too."""
    settings.PRIVATE_MEDIA_ROOT = private_media
    settings.MEDIA_ROOT = tmp_path / "media"
    return private_media


@pytest.fixture
def with_data(units, unit_staff, files):
    initiative = InitiativeFactory(organization=unit_staff.staff_profile.organization,
                                   status=InitiativeStatus.DRAFT, title="Hũ gạo tình thương – xã Minh Long")
    attachment = attachment_add(initiative=initiative, acting_user=unit_staff,
                                uploaded=SimpleUploadedFile("ảnh hoạt động.jpg", PHOTO, "image/jpeg"))
    return initiative, attachment


def tables_and_counts(url=None):
    target = Target.from_url(url)
    return target.counts(target.tables())


@pytest.mark.django_db(transaction=True)
def test_a_restored_copy_holds_the_same_rows_and_files(with_data, second_database, files, tmp_path):
    initiative, attachment = with_data
    output = run("backup", output=str(tmp_path / "backup"))
    assert output.startswith("Đã sao lưu vào ")

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["engine"] == connection.vendor
    assert manifest["files"]["private"] == 1
    assert manifest["tables"][Initiative._meta.db_table] == Initiative.unscoped.count()

    restored_files = tmp_path / "restored-files"
    output = run("restore", str(tmp_path / "backup"), database_url=second_database, files_root=str(restored_files))
    assert output.startswith("Đã khôi phục vào ")

    # Every table, row for row in number, and the rows themselves for the model and its file.
    assert tables_and_counts(second_database) == tables_and_counts()
    with Target.from_url(second_database).connect() as conn:
        row = conn.execute(f"SELECT code, title FROM {Initiative._meta.db_table} WHERE id = {initiative.pk}").fetchone()
        stored = conn.execute(f"SELECT file FROM {Attachment._meta.db_table} WHERE id = {attachment.pk}").fetchone()
    assert tuple(row) == (initiative.code, "Hũ gạo tình thương – xã Minh Long")
    assert stored[0] == attachment.file.name
    assert (restored_files / "private" / attachment.file.name).read_bytes() == PHOTO
    assert (files / attachment.file.name).read_bytes() == PHOTO  # the original is untouched


@pytest.mark.django_db(transaction=True)
def test_a_refused_restore_writes_nothing(with_data, second_database, tmp_path):
    """A database with data, a damaged file, another engine's backup, a folder that is no backup: all refused.
    One test, because each test that commits costs a flush of every table afterwards."""
    run("backup", output=str(tmp_path / "backup"))
    restored_files = tmp_path / "restored-files"
    run("restore", str(tmp_path / "backup"), database_url=second_database, files_root=str(restored_files))

    with pytest.raises(CommandError, match="đã có dữ liệu.*FORCE=1"):
        run("restore", str(tmp_path / "backup"), database_url=second_database, files_root=str(restored_files))
    # The configured database (the suite's own) holds data too: refused the same way, nothing touched.
    before = tables_and_counts()
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        run("restore", str(tmp_path / "backup"))
    assert tables_and_counts() == before

    output = run("restore", str(tmp_path / "backup"), database_url=second_database, files_root=str(restored_files),
                 force=True)
    assert "được giữ lại ở" in output  # the files folder that was there is kept aside, renamed
    assert tables_and_counts(second_database) == tables_and_counts()

    folder = tmp_path / "backup"
    dump = folder / json.loads((folder / "manifest.json").read_text())["database_file"]
    dump.write_bytes(dump.read_bytes()[:-10])
    with pytest.raises(CommandError, match="bị thiếu hoặc hỏng"):
        run("restore", str(folder), database_url=second_database, files_root=str(tmp_path / "restored"), force=True)
    assert not (tmp_path / "restored").exists()

    manifest = json.loads((folder / "manifest.json").read_text())
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[manifest["engine"]]
    (folder / "manifest.json").write_text(json.dumps({**manifest, "engine": other, "sha256": {}}))
    with pytest.raises(CommandError, match="không thể khôi phục"):
        run("restore", str(folder), database_url=second_database, force=True)

    with pytest.raises(CommandError, match="không có tệp manifest.json"):
        run("restore", str(tmp_path))


def test_a_backup_never_writes_into_a_folder_that_holds_files(tmp_path, db):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="không trống"):
        run("backup", output=str(tmp_path))
