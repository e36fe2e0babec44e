"""Error reports kept for download: an xlsx per failed import, readable only by the user who uploaded the file,
kept a day. Files live under UPLOAD_FOLDER (shared by every app server), never under static/."""
import os
import re
import secrets
import time

from flask import current_app

from . import workbook as wb

FOLDER = "import-reports"
KEEP_SECONDS = 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _folder() -> str:
    folder = os.path.join(current_app.config["UPLOAD_FOLDER"], FOLDER)
    os.makedirs(folder, exist_ok=True)
    return folder


def _path(kind: str, user_id: int, token: str) -> str:
    return os.path.join(_folder(), f"{kind}-{user_id}-{token}.xlsx")


def save(kind: str, user, problems: list[wb.Problem], with_sheet: bool) -> str:
    """Write the report; returns the token of its download link."""
    _prune()
    token = secrets.token_urlsafe(24)
    with open(_path(kind, user.id, token), "wb") as stored:
        stored.write(wb.report(problems, with_sheet))
    return token


def find(kind: str, user, token: str) -> str | None:
    """The report's path if this user wrote it and it is still kept."""
    if not TOKEN.match(token or ""):
        return None
    path = _path(kind, user.id, token)
    return path if os.path.isfile(path) else None


def _prune() -> None:
    cutoff = time.time() - KEEP_SECONDS
    with os.scandir(_folder()) as entries:
        for entry in entries:
            try:
                if entry.is_file() and entry.stat().st_mtime < cutoff:
                    os.remove(entry.path)
            except FileNotFoundError:  # another process pruned it first
                pass
