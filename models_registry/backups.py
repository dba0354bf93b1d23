"""Backups of the whole portal: the database and the uploaded files, restorable on the same kind of database.

A backup is one folder: `database.dump` (PostgreSQL, pg_dump's custom format) or `database.sqlite3` (SQLite,
a consistent copy through SQLite's backup API, safe while the portal runs), `files.tar.gz` (the private
attachments and the media folder) and `manifest.json` (what was saved, the row count of every table and a
SHA-256 of each file). A restore checks the checksums, refuses to overwrite a database that holds accounts,
units or models unless forced, and compares the restored row counts with the manifest's.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from models_registry.formatting import thousands
from models_registry.models import AdministrativeUnit, Initiative

FORMAT = 1
MANIFEST = "manifest.json"
FILES_ARCHIVE = "files.tar.gz"
DUMP_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


class BackupError(Exception):
    """A reason the operator can act on, already in their language."""


def file_roots() -> dict[str, Path]:
    """The folders of uploaded files, by their name inside the archive."""
    return {"private": Path(settings.PRIVATE_MEDIA_ROOT), "media": Path(settings.MEDIA_ROOT)}


def vendor_of(config: dict) -> str:
    engine = config["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(_("Backups support PostgreSQL and SQLite only, not %(engine)s.") % {"engine": engine})


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- Talking to a database that may not be Django's own ---------------------------------------------------


def pg_environment(config: dict) -> dict:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if config.get(key):
            env[name] = str(config[key])
    return env


def run_tool(command: list[str], config: dict) -> None:
    try:
        result = subprocess.run(command, env=pg_environment(config), capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(_("The PostgreSQL tool %(tool)s is not installed (Debian package postgresql-client).")
                          % {"tool": command[0]}) from exc
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(_("%(tool)s failed: %(reason)s") % {"tool": command[0], "reason": " ".join(lines[-3:])})


class Target:
    """A database to count rows in or to restore into: Django's own, or another one named by a URL."""

    def __init__(self, config: dict):
        self.config, self.vendor, self.name = config, vendor_of(config), str(config["NAME"])

    @classmethod
    def from_url(cls, url: str | None) -> Target:
        return cls(dj_database_url.parse(url) if url else dict(connection.settings_dict))

    def is_django_default(self) -> bool:
        return self.vendor == connection.vendor and self.name == str(connection.settings_dict["NAME"])

    def connect(self):
        if self.vendor == "sqlite":
            # The test suite's in-memory database is named by a URI ("file:memorydb_default?mode=memory…").
            return sqlite3.connect(self.name, uri=self.name.startswith("file:"))
        import psycopg

        return psycopg.connect(dbname=self.name, host=self.config.get("HOST") or None,
                               port=self.config.get("PORT") or None, user=self.config.get("USER") or None,
                               password=self.config.get("PASSWORD") or None, autocommit=True)

    def exists(self) -> bool:
        if self.vendor == "sqlite":
            if self.name.startswith("file:"):
                return True
            return Path(self.name).exists() and Path(self.name).stat().st_size > 0
        import psycopg

        try:
            self.connect().close()
        except psycopg.OperationalError:
            return False
        return True

    def create(self) -> None:
        if self.vendor == "sqlite":
            Path(self.name).parent.mkdir(parents=True, exist_ok=True)
            return
        import psycopg

        server = {**self.config, "NAME": "postgres"}
        with Target(server).connect() as conn:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(self.name)))

    def tables(self) -> list[str]:
        with self.connect() as conn:
            if self.vendor == "sqlite":
                rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                    "AND name NOT LIKE 'sqlite_%'").fetchall()
            else:
                rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        return sorted(row[0] for row in rows)

    def counts(self, tables: list[str]) -> dict[str, int]:
        present = set(self.tables())
        result = {}
        with self.connect() as conn:
            for table in tables:
                if table in present:
                    quoted = '"' + table.replace('"', '""') + '"'
                    result[table] = conn.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0]  # noqa: S608
        return result

    def holds_data(self) -> int:
        """Rows that someone would lose: accounts, administrative units, models (what migrations never write)."""
        tables = [get_user_model()._meta.db_table, AdministrativeUnit._meta.db_table, Initiative._meta.db_table]
        return sum(self.counts(tables).values()) if self.exists() else 0


# --- Backup -----------------------------------------------------------------------------------------------


def default_folder() -> Path:
    return Path(settings.VAR_DIR) / "backups" / f"{timezone.localtime():%Y%m%d-%H%M%S}"


def create_backup(folder: Path | None = None) -> tuple[Path, dict]:
    folder = Path(folder or default_folder())
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(_("The folder %(folder)s is not empty.") % {"folder": folder})
    folder.mkdir(parents=True, exist_ok=True)
    source = Target(dict(connection.settings_dict))
    dump = folder / DUMP_FILES[source.vendor]
    # Counted first: rows written during the dump may be in it, never missing from the counts' tables.
    tables = source.tables()
    counts = source.counts(tables)
    if source.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(dump) as copy:
            connection.connection.backup(copy)  # a consistent snapshot, even while the portal writes
        copy.close()
    else:
        run_tool(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", source.name],
                 source.config)
    files = archive_files(folder / FILES_ARCHIVE)
    migrations = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        migrations[app] = max(migrations.get(app, ""), name)
    manifest = {
        "format": FORMAT,
        "created": timezone.localtime().isoformat(timespec="seconds"),
        "engine": source.vendor,
        "database": Path(source.name).name if source.vendor == "sqlite" else source.name,
        "database_file": dump.name,
        "files_archive": FILES_ARCHIVE,
        "files": files,
        "tables": counts,
        "migrations": dict(sorted(migrations.items())),
        "sha256": {dump.name: sha256(dump), FILES_ARCHIVE: sha256(folder / FILES_ARCHIVE)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return folder, manifest


def archive_files(path: Path) -> dict[str, int]:
    counts = {}
    with tarfile.open(path, "w:gz") as archive:
        for name, root in file_roots().items():
            counts[name] = 0
            if root.is_dir():
                archive.add(root, arcname=name)
                counts[name] = sum(1 for item in root.rglob("*") if item.is_file())
    return counts


# --- Restore ----------------------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    database: str
    tables: int
    rows: int
    files: int
    kept_aside: list[Path]


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as exc:
        raise BackupError(_("%(folder)s is not a backup of the portal: it has no manifest.json.")
                          % {"folder": folder}) from exc
    except ValueError as exc:
        raise BackupError(_("The manifest of %(folder)s is damaged.") % {"folder": folder}) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("This backup was made by another version of the portal (format %(format)s).")
                          % {"format": manifest.get("format")})
    for name, expected in manifest["sha256"].items():
        if not (folder / name).exists() or sha256(folder / name) != expected:
            raise BackupError(_("The file %(name)s of the backup is missing or damaged.") % {"name": name})
    return manifest


def restore_backup(folder: Path, database_url: str | None = None, files_root: Path | None = None,
                   force: bool = False) -> RestoreReport:
    folder = Path(folder)
    manifest = read_manifest(folder)
    target = Target.from_url(database_url)
    if manifest["engine"] != target.vendor:
        raise BackupError(_("This backup is of a %(backup)s database; it cannot be restored into %(target)s.")
                          % {"backup": manifest["engine"], "target": target.vendor})
    roots = {name: Path(files_root) / name for name in file_roots()} if files_root else file_roots()
    if not force:
        rows = target.holds_data()
        if rows:
            raise BackupError(_("The database %(name)s already holds data (%(rows)s accounts, units and models): "
                                "nothing was restored. Add --force (make restore FORCE=1) to overwrite it.")
                              % {"name": target.name, "rows": thousands(rows)})
        full = [str(root) for root in roots.values() if root.is_dir() and any(root.iterdir())]
        if full:
            raise BackupError(_("The folder %(folder)s already holds files: nothing was restored. Add --force "
                                "(make restore FORCE=1) to replace it; the old one is kept beside it.")
                              % {"folder": ", ".join(full)})
    if target.is_django_default():
        connection.close()  # the restore replaces what this connection would see
    if not target.exists():
        target.create()
    dump = folder / manifest["database_file"]
    if target.vendor == "sqlite":
        with sqlite3.connect(dump) as source, sqlite3.connect(target.name) as destination:
            source.backup(destination)
        source.close()
        destination.close()
    else:
        run_tool(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
                  "--exit-on-error", f"--dbname={target.name}", str(dump)], target.config)
    kept_aside = restore_files(folder / manifest["files_archive"], roots)
    counts = target.counts(list(manifest["tables"]))
    different = sorted(table for table, rows in manifest["tables"].items() if counts.get(table) != rows)
    if different:
        raise BackupError(_("The restored database differs from the backup in %(tables)s.")
                          % {"tables": ", ".join(different[:5])})
    return RestoreReport(database=target.name, tables=len(counts), rows=sum(counts.values()),
                         files=sum(manifest["files"].values()), kept_aside=kept_aside)


def restore_files(archive_path: Path, roots: dict[str, Path]) -> list[Path]:
    """Unpacks beside each target folder, then swaps it in; a folder that held files is kept aside, renamed."""
    kept = []
    stamp = f"{timezone.localtime():%Y%m%d-%H%M%S}"
    with tarfile.open(archive_path, "r:gz") as archive:
        members = archive.getmembers()
        for name, root in roots.items():
            own = [m for m in members if m.name == name or m.name.startswith(name + "/")]
            root.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=root.parent, prefix=f".{root.name}-restore-") as work:
                archive.extractall(work, members=own, filter="data")  # no absolute paths, links or "../"
                unpacked = Path(work) / name
                if root.exists():
                    if root.is_dir() and not any(root.iterdir()):
                        root.rmdir()
                    else:
                        aside = root.with_name(f"{root.name}.before-restore-{stamp}")
                        root.rename(aside)
                        kept.append(aside)
                if unpacked.is_dir():
                    shutil.move(str(unpacked), root)
                else:
                    root.mkdir()
    return kept
