"""Attachment storage: type sniffed from content, size limits, generated names outside static/.

Once on disk every file is also parsed: a PDF must open without a password and have pages (pypdf), an image
must be a sane size and intact (Pillow; its dimensions are read from the header before anything is decoded).
Downloads are always served as attachments with X-Content-Type-Options: nosniff; the exceptions are a
published portrait and publication photos (JPEGs the app encoded itself), served inline but only as image/jpeg or
image/png, with nosniff.
"""
import hashlib
import logging
import os
import unicodedata
import uuid
import warnings
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import ForeignKey, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from honours.core import clock, pdf_content
from honours.core.db import db, touch
from honours.core.errors import RuleViolation
from honours.core.reference import ATTACHMENT_KINDS

# Magic bytes -> (content type, extensions a user may reasonably give such a file).
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
CHUNK = 64 * 1024
# Control (C0, DEL, C1), format (bidi controls U+202A-U+202E, U+2066-U+2069, U+200E/F, U+061C, zero-width
# characters, soft hyphen...) and line/paragraph separators.
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
# The extensions a stored file may be downloaded with; the first is added when the user's name has none of them.
EXTENSIONS = {"application/pdf": (".pdf",), "image/jpeg": (".jpg", ".jpeg"), "image/png": (".png",)}
ACTIVE_CONTENT = {
    pdf_content.JAVASCRIPT: _l("mã chạy tự động (JavaScript)"),
    pdf_content.LAUNCH: _l("lệnh mở chương trình khác (Launch)"),
    pdf_content.EMBEDDED_FILE: _l("tệp khác được nhúng bên trong"),
    pdf_content.ACTIVE: _l("thao tác tự động, biểu mẫu động hoặc nội dung đa phương tiện"),
}
# pypdf logs every repair it attempts on a broken file; a refused upload is not worth a log line each.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass
class Upload:
    """A file just written to disk and checked."""

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
    if any(unicodedata.category(ch) in INVISIBLE_CATEGORIES for ch in name):
        # Bidirectional overrides make "hoso\u202efdp.html" read as "hosolmth.pdf"; other invisible characters
        # hide what a name really says. No real file name needs them.
        raise RuleViolation(_("Tên tệp chứa ký tự ẩn hoặc ký tự đảo chiều chữ (có thể dùng để giả mạo phần mở rộng "
                              "như \".pdf\"). Vui lòng đổi tên tệp rồi tải lên lại."))
    if len(name) > 255:
        raise RuleViolation(_("Tên tệp quá dài (tối đa 255 ký tự)."))
    return name


def upload_folder() -> str:
    return current_app.config["UPLOAD_FOLDER"]


def path_for(stored_name: str) -> str:
    return os.path.join(upload_folder(), stored_name)


def store(stream, original_name: str, room_left: int) -> Upload:
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
        check_content(path, content_type, name)
    except BaseException:
        remove(stored_name)
        raise
    return Upload(stored_name, name, content_type, size, digest.hexdigest())


def _too_big_message(name: str, size: int, per_file: int, room_left: int) -> str:
    if room_left < per_file:
        return _("Tổng dung lượng tệp đính kèm của hồ sơ vượt quá giới hạn %(mb)s MB.",
                 mb=current_app.config["MAX_DOSSIER_ATTACHMENT_BYTES"] // (1024 * 1024))
    return _("Tệp \"%(name)s\" vượt quá dung lượng cho phép %(mb)s MB.", name=name, mb=per_file // (1024 * 1024))


def check_content(path: str, content_type: str, name: str) -> None:
    """Refuse a file whose content is not what its first bytes claim, or that readers could not open."""
    if content_type == "application/pdf":
        _check_pdf(path, name)
    else:
        _check_image(path, IMAGE_FORMATS[content_type], name)


def _check_pdf(path: str, name: str) -> None:
    try:
        reader = PdfReader(path, strict=False)
        encrypted = reader.is_encrypted  # an /Encrypt entry in the trailer
        pages = 0 if encrypted else len(reader.pages)
        active = None if encrypted else pdf_content.active_content(path, reader)
    except pdf_content.TooComplex:
        raise RuleViolation(_("Tệp PDF \"%(name)s\" quá phức tạp để kiểm tra an toàn. "
                              "Vui lòng in lại tệp thành PDF thông thường rồi tải lên lại.", name=name)) from None
    except Exception:  # pypdf raises many types (and RecursionError) on broken files: all mean "unreadable"
        raise RuleViolation(_("Tệp \"%(name)s\" không phải tệp PDF hợp lệ (tệp bị hỏng hoặc không đầy đủ). "
                              "Vui lòng xuất lại tệp PDF rồi tải lên lại.", name=name)) from None
    if encrypted:
        raise RuleViolation(_("Tệp PDF \"%(name)s\" được đặt mật khẩu hoặc mã hoá nên không mở được. "
                              "Vui lòng tải lên bản PDF không đặt mật khẩu.", name=name))
    if pages == 0:
        raise RuleViolation(_("Tệp PDF \"%(name)s\" không có trang nào.", name=name))
    if active is not None:
        raise RuleViolation(_("Tệp PDF \"%(name)s\" chứa %(problem)s nên không được chấp nhận. Vui lòng in lại "
                              "tệp thành PDF thông thường (chức năng \"In ra PDF\") rồi tải lên lại.",
                              name=name, problem=str(ACTIVE_CONTENT[active])))


def _check_image(path: str, image_format: str, name: str) -> None:
    max_pixels = current_app.config["MAX_IMAGE_PIXELS"]
    megapixels = format(max_pixels / 1_000_000, "g")
    too_big = RuleViolation(_("Ảnh \"%(name)s\" có kích thước quá lớn (tối đa %(megapixels)s triệu điểm ảnh). "
                              "Vui lòng thu nhỏ ảnh rồi tải lên lại.", name=name, megapixels=megapixels))
    broken = RuleViolation(_("Tệp \"%(name)s\" không phải ảnh JPEG hoặc PNG hợp lệ (tệp bị hỏng hoặc không đầy đủ).",
                             name=name))
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own limit and raises above twice that; both mean "refuse".
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=[image_format]) as image:  # reads the header only
                width, height = image.size
                if width * height > max_pixels:
                    raise too_big
                image.verify()  # walks the file: checksums (PNG), truncation
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except RuleViolation:
        raise
    except Exception:  # UnidentifiedImageError, OSError, SyntaxError, struct/zlib errors...: all mean "broken"
        raise broken from None


def remove(stored_name: str) -> None:
    try:
        os.remove(path_for(stored_name))
    except FileNotFoundError:
        pass


class StoredFile:
    """The columns of an uploaded file kept by honours.core.storage: outside static/, under a generated name."""

    kind: Mapped[str] = mapped_column(String(20), default="evidence")
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=clock.now)

    @property
    def kind_label(self) -> str:
        return str(ATTACHMENT_KINDS.get(self.kind, self.kind))

    @property
    def is_current(self) -> bool:
        """Part of what the owner presents now (a dossier's file replaced after a return is kept, not current)."""
        return True

    @property
    def download_name(self) -> str:
        """The user's name, ending in an extension of the type sniffed from the content ("cv.html" holding a PDF
        downloads as "cv.html.pdf"), so what the browser saves opens as what was checked."""
        return download_name(self.original_name, self.content_type)


def download_name(original_name: str, content_type: str) -> str:
    extensions = EXTENSIONS[content_type]
    if os.path.splitext(original_name)[1].lower() in extensions:
        return original_name
    return original_name + extensions[0]


# ---------------------------------------------------------------- attaching to a record

def attach_file(user, owner, attachment_class, stream, filename: str, kind: str, full_message: str,
                replacing: bool = False):
    """Store an upload as a new `attachment_class` of `owner` (a dossier or a referral, sharing one size budget,
    which counts replaced files too since they stay on disk, and one limit on the number of current files).
    `replacing`: the new file will supersede a current one (so it does not add to their number).
    The file leaves the disk again unless the transaction commits. The caller checked that `owner` is editable."""
    if kind not in ATTACHMENT_KINDS:
        raise RuleViolation(_("Loại tệp đính kèm không hợp lệ."))
    max_files = current_app.config["MAX_FILES_PER_DOSSIER"]
    if sum(1 for a in owner.attachments if a.is_current) - replacing >= max_files:
        raise RuleViolation(_("Đã có đủ %(max)s tệp đính kèm, số tệp tối đa cho phép. Vui lòng gộp các minh chứng "
                              "vào ít tệp hơn hoặc xoá bớt tệp chưa nộp.", max=max_files))
    room = current_app.config["MAX_DOSSIER_ATTACHMENT_BYTES"] - sum(a.size for a in owner.attachments)
    if room <= 0:
        raise RuleViolation(full_message)
    stored = store(stream, filename, room)
    _files(db.session, REMOVE_UNLESS_COMMITTED).append(stored.stored_name)
    attachment = attachment_class(kind=kind, original_name=stored.original_name, stored_name=stored.stored_name,
                                  content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
                                  uploaded_by_id=user.id)
    owner.attachments.append(attachment)
    touch(owner)
    db.session.flush()
    return attachment


def detach_file(owner, attachment) -> None:
    """Delete an attachment of `owner`; its file goes once the deletion commits (a rollback keeps both)."""
    remove_when_committed(attachment.stored_name)
    db.session.delete(attachment)
    touch(owner)
    db.session.flush()


# ---------------------------------------------------------------- files follow the transaction

REMOVE_UNLESS_COMMITTED = "honours.files.remove_unless_committed"
REMOVE_WHEN_COMMITTED = "honours.files.remove_when_committed"


def _files(session, kind: str) -> list[str]:
    return session.info.setdefault(kind, [])


def remove_unless_committed(stored_name: str) -> None:
    """A file this transaction wrote for a new row: kept if the transaction commits, removed on a rollback."""
    _files(db.session, REMOVE_UNLESS_COMMITTED).append(stored_name)


def remove_when_committed(stored_name: str) -> None:
    """The file of a row this transaction deletes: removed from disk after the commit, kept on a rollback."""
    _files(db.session, REMOVE_WHEN_COMMITTED).append(stored_name)


@event.listens_for(Session, "after_commit")
def _files_after_commit(session) -> None:
    session.info.pop(REMOVE_UNLESS_COMMITTED, None)  # their rows are committed: keep the files
    for stored_name in session.info.pop(REMOVE_WHEN_COMMITTED, []):
        remove(stored_name)


@event.listens_for(Session, "after_transaction_end")
def _files_after_rollback(session, transaction) -> None:
    if transaction.parent is not None or transaction.nested:
        return  # a savepoint; the outer transaction decides
    for stored_name in session.info.pop(REMOVE_UNLESS_COMMITTED, []):  # still here: the rows never committed
        remove(stored_name)
    session.info.pop(REMOVE_WHEN_COMMITTED, None)
