"""`flask backup` / `flask restore`: the database and the attachments in one verified archive.

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (pg_dump / pg_restore against that database).
After a restore the schema is the one the tests created (the backup was taken from it), so later tests and the
conftest wipe are unaffected.
"""
import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from demo.seed import seed
from honours.backup import BackupError, create_backup, stage_restore
from honours.backup.archive import MANIFEST
from honours.core import roles
from honours.core.db import db
from honours.organisations.models import Organisation
from tests.conftest import NOW, wipe
from tests.factories import PDF, PNG, make_dossier, make_org, make_round, make_user

# ---------------------------------------------------------------- helpers

def table_rows() -> dict[str, list[tuple]]:
    """Every row of every table, ordered by primary key, read on a fresh connection."""
    snapshot = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            snapshot[table.name] = [tuple(r) for r in connection.execute(select(table).order_by(*order))]
    return snapshot


def upload_files(app) -> dict[str, bytes]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def clear_uploads(app) -> None:
    for path in sorted(Path(app.config["UPLOAD_FOLDER"]).rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()


def small_world(app) -> None:
    round_ = make_round()
    org = make_org(name="Hội Khoa học Kỹ thuật tỉnh Bắc Ninh")
    nominator = make_user(roles.NOMINATOR, org, full_name="Lê Thị Thu Hà")
    make_dossier(round_, org, nominator, full_name="Nguyễn Văn An")
    make_dossier(round_, org, nominator, full_name="Đỗ Thị Ánh Tuyết")
    extra = Path(app.config["UPLOAD_FOLDER"]) / "thu-muc-con"
    extra.mkdir()
    (extra / "ảnh chân dung.png").write_bytes(PNG)


def cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def rewrite_archive(source: Path, target: Path, change) -> None:
    """Copy the archive member by member; change(name, data) returns new bytes, or None to drop the member."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read() if member.isfile() else b""
            data = change(member.name, data)
            if data is None:
                continue
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


def assert_refused_and_untouched(app, archive: Path, expected_message: str) -> None:
    rows, files = table_rows(), upload_files(app)
    result = cli(app, "restore", str(archive), "--yes")
    assert result.exit_code != 0
    assert "Refusing to restore" in result.output and expected_message in result.output, result.output
    assert "Traceback" not in result.output
    assert table_rows() == rows and upload_files(app) == files
    leftovers = [p.name for p in Path(app.config["UPLOAD_FOLDER"]).parent.iterdir() if p.name.startswith(".honours")]
    assert leftovers == []


# ---------------------------------------------------------------- the round trip

def test_backup_wipe_restore_gives_back_every_row_and_every_file_byte(app, tmp_path):
    for _ in seed():  # the demo: every workflow state, councils, ballots, audit, outbox ...
        pass
    small_world(app)
    big = os.urandom(3 * 1024 * 1024 + 17)
    (Path(app.config["UPLOAD_FOLDER"]) / "tep-lon.bin").write_bytes(big)
    (Path(app.config["UPLOAD_FOLDER"]) / "rong.pdf").write_bytes(b"")
    db.session.remove()
    rows_before, files_before = table_rows(), upload_files(app)
    assert sum(len(rows) for rows in rows_before.values()) > 500
    assert len([name for name, rows in rows_before.items() if rows]) >= 15
    assert len(files_before) > 5  # the demo's attachments and ours

    archive = tmp_path / "sao-luu" / "honours.tar.gz"
    result = cli(app, "backup", "--output", str(archive))
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert f"Backup written to {archive}" in result.output and f"{len(files_before)} attachment files" in result.output
    assert oct(archive.stat().st_mode & 0o777) == "0o600"

    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile(MANIFEST))
    dialect = db.engine.dialect.name
    assert names[-1] == MANIFEST
    assert manifest["dialect"] == dialect and manifest["alembic_revision"] is None  # tests build with create_all
    assert manifest["created_at"] == NOW.isoformat() + "+07:00"
    assert {entry["path"] for entry in manifest["files"]} == set(names) - {MANIFEST}
    by_path = {entry["path"]: entry for entry in manifest["files"]}
    assert by_path["uploads/tep-lon.bin"] == {"path": "uploads/tep-lon.bin", "size": len(big),
                                              "sha256": hashlib.sha256(big).hexdigest()}
    assert "uploads/thu-muc-con/ảnh chân dung.png" in by_path
    assert manifest["database"] in by_path

    # Disaster: every table emptied, every file gone; meanwhile someone added data that is not in the backup.
    wipe(app)
    clear_uploads(app)
    make_org(name="Đơn vị tạo sau khi sao lưu")
    (Path(app.config["UPLOAD_FOLDER"]) / "tep-moi").write_bytes(PDF)
    db.session.remove()

    result = cli(app, "restore", str(archive))  # without --yes it asks first
    assert result.exit_code != 0 and "Aborted" in result.output
    assert db.session.scalar(select(func.count(Organisation.id))) == 1

    result = cli(app, "restore", str(archive), "--yes")
    assert result.exit_code == 0, result.output + repr(result.exception)
    assert "Restore complete" in result.output

    assert table_rows() == rows_before
    assert upload_files(app) == files_before
    leftovers = [p.name for p in Path(app.config["UPLOAD_FOLDER"]).parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []
    # The restored database keeps working: new rows get fresh ids (PostgreSQL sequences restored too).
    highest = max(row[0] for row in rows_before["organisation"])
    assert make_org(name="Đơn vị mới sau khôi phục").id > highest


def test_backup_refuses_to_overwrite_an_existing_file(app, tmp_path):
    existing = tmp_path / "da-co.tar.gz"
    existing.write_bytes(b"old backup")
    result = cli(app, "backup", "-o", str(existing))
    assert result.exit_code != 0 and "already exists" in result.output
    assert existing.read_bytes() == b"old backup"


def test_the_default_output_is_a_timestamped_file_in_the_instance_backups_folder(app, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    result = cli(app, "backup")
    assert result.exit_code == 0, result.output
    expected = tmp_path / "instance" / "backups" / f"honours-backup-{NOW:%Y%m%d-%H%M%S}.tar.gz"
    assert expected.exists() and str(expected) in result.output


# ---------------------------------------------------------------- refused archives

@pytest.fixture
def archive(app, tmp_path) -> Path:
    small_world(app)
    db.session.remove()
    result = create_backup(tmp_path / "goc.tar.gz")
    assert result.upload_count == 3
    return result.path


def test_an_altered_attachment_is_refused_before_anything_changes(app, tmp_path, archive):
    tampered = tmp_path / "sua.tar.gz"
    rewrite_archive(archive, tampered, lambda name, data: data.replace(b"%%EOF", b"%%EOX")
                    if name.startswith("uploads/") else data)
    make_org(name="Thay đổi sau sao lưu")  # the live data differs from the backup, and must stay as it is
    assert_refused_and_untouched(app, tampered, "checksum or size mismatch: uploads/")


def test_an_altered_database_dump_is_refused(app, tmp_path, archive):
    tampered = tmp_path / "sua-csdl.tar.gz"
    rewrite_archive(archive, tampered, lambda name, data: data[:-1] + bytes([data[-1] ^ 1])
                    if name.startswith("database/") else data)
    assert_refused_and_untouched(app, tampered, "checksum or size mismatch: database/")


def test_missing_and_smuggled_files_are_refused(app, tmp_path, archive):
    dropped = tmp_path / "thieu.tar.gz"
    first_upload = []

    def drop_one(name, data):
        if name.startswith("uploads/") and not first_upload:
            first_upload.append(name)
            return None
        return data

    rewrite_archive(archive, dropped, drop_one)
    assert_refused_and_untouched(app, dropped, f"missing from the archive: {first_upload[0]}")

    smuggled = tmp_path / "them.tar.gz"
    with tarfile.open(archive, "r:gz") as old, tarfile.open(smuggled, "w:gz") as new:
        for member in old:
            new.addfile(member, old.extractfile(member))
        info = tarfile.TarInfo("uploads/la.pdf")
        info.size = len(PDF)
        new.addfile(info, io.BytesIO(PDF))
    assert_refused_and_untouched(app, smuggled, "not in the manifest: uploads/la.pdf")


def test_a_path_escaping_the_restore_folder_is_refused(app, tmp_path, archive):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "r:gz") as old, tarfile.open(evil, "w:gz") as new:
        info = tarfile.TarInfo("uploads/../../../etc/cron.d/x")
        info.size = 4
        new.addfile(info, io.BytesIO(b"boom"))
        for member in old:
            new.addfile(member, old.extractfile(member))
    assert_refused_and_untouched(app, evil, "unsafe path in the archive")


def test_a_truncated_or_foreign_file_is_refused_clearly(app, tmp_path, archive):
    truncated = tmp_path / "cut.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert_refused_and_untouched(app, truncated, "damaged or is not a .tar.gz backup")

    foreign = tmp_path / "khong-phai.tar.gz"
    foreign.write_bytes(b"This is not an archive at all.\n" * 10)
    assert_refused_and_untouched(app, foreign, "damaged or is not a .tar.gz backup")

    no_manifest = tmp_path / "khong-manifest.tar.gz"
    rewrite_archive(archive, no_manifest, lambda name, data: None if name == MANIFEST else data)
    assert_refused_and_untouched(app, no_manifest, "manifest.json is missing")


def test_a_backup_of_another_kind_of_database_is_refused(app, tmp_path, archive):
    other = "postgresql" if db.engine.dialect.name == "sqlite" else "sqlite"

    def relabel(name, data):
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["dialect"] = other
        return json.dumps(manifest).encode()

    relabelled = tmp_path / "khac-loai.tar.gz"
    rewrite_archive(archive, relabelled, relabel)
    assert_refused_and_untouched(app, relabelled, f"this backup is of a {other} database")


def test_a_backup_from_a_newer_schema_is_refused(app, tmp_path, archive):
    def newer(name, data):
        if name != MANIFEST:
            return data
        return json.dumps({**json.loads(data), "alembic_revision": "ffffffffffff"}).encode()

    future = tmp_path / "moi-hon.tar.gz"
    rewrite_archive(archive, future, newer)
    assert_refused_and_untouched(app, future, "schema revision ffffffffffff is unknown")


def test_stage_restore_leaves_nothing_behind_when_refused(app, tmp_path, archive):
    broken = tmp_path / "hong.tar.gz"
    broken.write_bytes(archive.read_bytes()[:-40])
    with pytest.raises(BackupError):
        stage_restore(broken)
    assert not [p for p in Path(app.config["UPLOAD_FOLDER"]).parent.iterdir() if p.name.startswith(".honours")]
