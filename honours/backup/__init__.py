"""Backups: the database and the attachments folder in one verifiable .tar.gz (`flask backup` / `flask restore`).

Archive layout::

    database/honours.sqlite   (SQLite, a consistent copy through the online backup API)
    database/honours.dump     (PostgreSQL, pg_dump --format=custom)
    uploads/...               (every file of UPLOAD_FOLDER, same relative paths)
    manifest.json             (last: format, creation time, dialect, alembic revision, and every file above
                               with its sha256 and size)

The checksums detect a damaged or altered archive; they are not a signature (whoever can rewrite the archive
can rewrite the manifest too), so keep backups where only operators can write.
"""
from .services import BackupError, StagedRestore, create_backup, stage_restore

__all__ = ["BackupError", "StagedRestore", "create_backup", "stage_restore"]
