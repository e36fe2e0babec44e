"""create_backup() and stage_restore() -> StagedRestore.apply(): the database plus the attachments folder.

A restore checks everything before it changes anything: the whole archive is extracted into a staging folder
next to the upload folder, every file's checksum and size compared with the manifest, the dialect compared with
the configured database, the schema revision checked against the code's migrations. Only then the database is
restored, then the upload folder swapped for the staged one (two renames on the same filesystem).
"""
import os
import shutil
import stat
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from honours.core import clock

from . import database
from .archive import FORMAT, FORMAT_VERSION, ArchiveError, ArchiveWriter, extract_verified
from .database import DatabaseBackupError


class BackupError(Exception):
    """A backup or restore was refused or failed; the message says why (for operators, in English)."""


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    skipped: list[str] = field(default_factory=list)

    @property
    def upload_count(self) -> int:
        return sum(1 for entry in self.manifest["files"] if entry["path"].startswith("uploads/"))


def _upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]).resolve()


def default_output() -> Path:
    return Path(current_app.instance_path) / "backups" / f"honours-backup-{clock.now():%Y%m%d-%H%M%S}.tar.gz"


def create_backup(output: str | Path | None = None) -> BackupResult:
    """Write the database and every attachment into one new .tar.gz (refuses to overwrite a file)."""
    output = Path(output) if output else default_output()
    output = output.resolve()
    if output.exists():
        raise BackupError(f"{output} already exists; choose another --output")
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=output.parent, prefix=".honours-backup-"))
    partial = output.with_name(f".{output.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        dump = staging / database.dump_name()
        revision = database.alembic_revision()
        database.dump(dump)  # first the database, then the files: a file uploaded meanwhile is merely extra
        writer = ArchiveWriter(partial)
        try:
            writer.add_file(dump, f"database/{dump.name}")
            skipped = _add_uploads(writer, {output, partial, staging})
            now = clock.now()
            manifest = writer.finish({
                "format": FORMAT, "format_version": FORMAT_VERSION,
                "created_at": now.replace(tzinfo=clock.PROVINCE_TZ).isoformat(),
                "dialect": database.dialect(), "alembic_revision": revision,
                "database": f"database/{dump.name}",
            })
        except BaseException:
            writer.close()
            raise
        os.replace(partial, output)
    except DatabaseBackupError as error:
        raise BackupError(str(error)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        partial.unlink(missing_ok=True)
    return BackupResult(output, manifest, skipped)


def _add_uploads(writer: ArchiveWriter, exclude: set[Path]) -> list[str]:
    """Every regular file under UPLOAD_FOLDER, sorted; symlinks, special files and files deleted meanwhile are
    skipped and reported."""
    root, skipped = _upload_folder(), []
    if not root.is_dir():
        return skipped
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        here = Path(folder)
        for name in sorted(files):
            path = here / name
            if path in exclude or any(parent in exclude for parent in path.parents):
                continue
            if path.is_symlink() or not path.is_file():
                skipped.append(str(path))
                continue
            try:
                writer.add_file(path, "uploads/" + path.relative_to(root).as_posix())
            except FileNotFoundError:  # deleted since the folder was listed: no longer part of the data
                skipped.append(str(path))
    return skipped


@dataclass
class StagedRestore:
    """A verified archive extracted next to the upload folder, ready to replace the live data."""

    archive: Path
    staging: Path
    manifest: dict

    @property
    def upload_count(self) -> int:
        return sum(1 for entry in self.manifest["files"] if entry["path"].startswith("uploads/"))

    def summary(self) -> str:
        return (f"Backup {self.archive.name}: made {self.manifest.get('created_at')}, "
                f"{self.manifest['dialect']} database (schema revision "
                f"{self.manifest.get('alembic_revision') or 'not recorded'}), {self.upload_count} attachment files.\n"
                f"Restoring replaces the whole database and everything in {_upload_folder()}.")

    def apply(self) -> None:
        """Restore the database, then swap the upload folder. Stop the app servers and the outbox worker first."""
        try:
            database.restore(self.staging / self.manifest["database"])
        except DatabaseBackupError as error:
            raise BackupError(f"{error}\nThe upload folder was not changed.") from None
        staged_uploads = self.staging / "uploads"
        staged_uploads.mkdir(exist_ok=True)
        _swap_folder(staged_uploads, _upload_folder())

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def stage_restore(archive: str | Path) -> StagedRestore:
    """Extract and verify everything; raises BackupError (and leaves nothing behind) when the archive is damaged,
    altered, for another kind of database, or from a newer version of the application."""
    archive = Path(archive).resolve()
    live = _upload_folder()
    live.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=live.parent, prefix=".honours-restore-"))  # same filesystem: rename works
    try:
        manifest = extract_verified(archive, staging)
        _check_compatible(manifest)
    except (ArchiveError, DatabaseBackupError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"{archive.name}: {error}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return StagedRestore(archive, staging, manifest)


def _check_compatible(manifest: dict) -> None:
    current = database.dialect()
    if manifest.get("dialect") != current:
        raise DatabaseBackupError(f"this backup is of a {manifest.get('dialect')} database, but the configured "
                                  f"database is {current}; restore it into a {manifest.get('dialect')} database")
    listed = {entry["path"] for entry in manifest["files"]}
    if manifest.get("database") != f"database/{database.dump_name()}" or manifest["database"] not in listed:
        raise DatabaseBackupError(f"the manifest names an unexpected database file {manifest.get('database')!r}")
    revision = manifest.get("alembic_revision")
    if revision and not all(_known_revision(part) for part in revision.split(",")):
        raise DatabaseBackupError(f"the backup's schema revision {revision} is unknown to this version of the "
                                  "application (made by a newer version?); install that version first")


def _known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    directory = current_app.extensions["migrate"].directory
    try:
        return ScriptDirectory(directory).get_revision(revision) is not None
    except CommandError:
        return False


def _swap_folder(new: Path, live: Path) -> None:
    """Put `new` in place of `live`: two renames when possible, so the folder is never half-restored."""
    if live.exists():
        mode = stat.S_IMODE(live.stat().st_mode)
        new.chmod(mode)
        if os.geteuid() == 0:  # keep the owner the app runs as, not root
            owner = live.stat()
            for folder, dirs, files in os.walk(new):
                for name in (folder, *(os.path.join(folder, n) for n in dirs + files)):
                    os.chown(name, owner.st_uid, owner.st_gid)
    old = live.with_name(f".{live.name}.before-restore-{uuid.uuid4().hex[:8]}")
    try:
        if live.exists():
            os.rename(live, old)
        os.rename(new, live)
    except OSError:
        # `live` is a mount point (or another filesystem): replace its contents instead.
        if old.exists() and not live.exists():
            os.rename(old, live)
        for entry in list(live.iterdir()):
            shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
        for entry in new.iterdir():
            shutil.move(str(entry), str(live / entry.name))
        return
    shutil.rmtree(old, ignore_errors=True)
