"""Attachment storage: type sniffed from content, size limits, generated names outside static/."""
import hashlib
import os
import unicodedata
import uuid
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from honours.errors import RuleViolation

# Magic bytes -> (content type, extensions a user may reasonably give such a file).
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
CHUNK = 64 * 1024


@dataclass
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size: int
    sha256: str


def sniff(head: bytes) -> str | None:
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def clean_filename(name: str | None) -> str:
    """The name as the user gave it, for display only; refuse paths and control characters."""
    name = unicodedata.normalize("NFC", (name or "").strip())
    if not name:
        raise RuleViolation(_("Vui lòng chọn tệp để tải lên."))
    if "/" in name or "\\" in name or ".." in name or any(ord(ch) < 32 for ch in name):
        raise RuleViolation(_("Tên tệp không hợp lệ (không được chứa đường dẫn hoặc ký tự điều khiển)."))
    if len(name) > 255:
        raise RuleViolation(_("Tên tệp quá dài (tối đa 255 ký tự)."))
    return name


def upload_folder() -> str:
    return current_app.config["UPLOAD_FOLDER"]


def path_for(stored_name: str) -> str:
    return os.path.join(upload_folder(), stored_name)


def store(stream, original_name: str, room_left: int) -> StoredFile:
    """Copy the upload to disk under a random name, checking type and size as it streams."""
    name = clean_filename(original_name)
    per_file = current_app.config["MAX_ATTACHMENT_BYTES"]
    limit = min(per_file, room_left)
    head = stream.read(16)
    content_type = sniff(head)
    if content_type is None:
        raise RuleViolation(_("Tệp \"%(name)s\" không phải PDF, JPEG hoặc PNG hợp lệ.", name=name))
    stored_name = uuid.uuid4().hex
    path = path_for(stored_name)
    digest = hashlib.sha256(head)
    size = len(head)
    try:
        with open(path, "wb") as out:
            out.write(head)
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise RuleViolation(_too_big_message(name, size, per_file, room_left))
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        remove(stored_name)
        raise
    return StoredFile(stored_name, name, content_type, size, digest.hexdigest())


def _too_big_message(name: str, size: int, per_file: int, room_left: int) -> str:
    if room_left < per_file:
        return _("Tổng dung lượng tệp đính kèm của hồ sơ vượt quá giới hạn %(mb)s MB.",
                 mb=current_app.config["MAX_DOSSIER_ATTACHMENT_BYTES"] // (1024 * 1024))
    return _("Tệp \"%(name)s\" vượt quá dung lượng cho phép %(mb)s MB.", name=name, mb=per_file // (1024 * 1024))


def remove(stored_name: str) -> None:
    try:
        os.remove(path_for(stored_name))
    except FileNotFoundError:
        pass
