"""The public side's files: a round's guidance documents (PDF only) and honourees' publication photos.

A photo upload goes through the storage checks (type sniffed from the content, size, decompression bombs), then
is decoded once, turned upright (EXIF orientation), and saved anew as a JPEG at each fixed width: the saved files
carry no EXIF, GPS, ICC or text chunks, whatever the upload had. The upload itself is removed at once.
"""
import io
import uuid

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps
from sqlalchemy import select

from honours.consent import services as consent
from honours.core import audit, clock, storage
from honours.core.confirm import ensure_confirmed
from honours.core.db import db, touch
from honours.core.errors import RuleViolation
from honours.core.roles import ensure_secretariat
from honours.core.transactions import operation
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.rounds.models import Round

from .models import DOCUMENT_KINDS, PHOTO_WIDTHS, PublicationPhoto, RoundDocument

TITLE_MAX = 200
JPEG_QUALITY = 85
DOCUMENT_ADDED = audit.Reason("publication.document_added", audit.N_("Đính kèm tài liệu \"%(title)s\" cho đợt xét."))
DOCUMENT_DELETED = audit.Reason("publication.document_deleted", audit.N_("Xoá tài liệu \"%(title)s\" của đợt xét."))
PHOTO_SET = audit.Reason("publication.photo_set", audit.N_("Tải lên ảnh công bố của người được tôn vinh."))


# ---------------------------------------------------------------- round documents

def is_announced(round_: Round, at=None) -> bool:
    """A round is announced once it opens for nominations (or is published): from then on its documents are
    public. Before that, nobody outside the secretariat may know they exist."""
    at = at or clock.now()
    return round_.published_at is not None or round_.nominations_open_at <= at


def documents_of(round_ids) -> dict[int, list[RoundDocument]]:
    """The documents of each round, in kind then upload order (one query)."""
    round_ids = list(round_ids)
    found: dict[int, list[RoundDocument]] = {r: [] for r in round_ids}
    if not round_ids:
        return found
    order = list(DOCUMENT_KINDS)
    for document in sorted(db.session.scalars(select(RoundDocument).where(RoundDocument.round_id.in_(round_ids))),
                           key=lambda d: (order.index(d.kind) if d.kind in order else len(order), d.id)):
        found[document.round_id].append(document)
    return found


@operation
def add_document(actor, round_: Round, title: str, kind: str, stream, filename: str) -> RoundDocument:
    """Attach a PDF to the round. The file goes through every PDF check of attachments (opens, has pages, no
    password, no JavaScript or other active content) and the per-file size limit."""
    ensure_secretariat(actor)
    title = " ".join((title or "").split())
    if not title:
        raise RuleViolation(_("Vui lòng nhập tên tài liệu."))
    if len(title) > TITLE_MAX:
        raise RuleViolation(_("Tên tài liệu dài quá %(max)s ký tự.", max=TITLE_MAX))
    if kind not in DOCUMENT_KINDS:
        raise RuleViolation(_("Vui lòng chọn loại tài liệu."))
    stored = storage.store(stream, filename, current_app.config["MAX_ATTACHMENT_BYTES"])
    if stored.content_type != "application/pdf":
        storage.remove(stored.stored_name)
        raise RuleViolation(_("Tài liệu của đợt xét phải là tệp PDF."))
    storage.remove_unless_committed(stored.stored_name)
    document = RoundDocument(round_id=round_.id, title=title, kind=kind, original_name=stored.original_name,
                             stored_name=stored.stored_name, content_type=stored.content_type, size=stored.size,
                             sha256=stored.sha256, uploaded_by_id=actor.id)
    db.session.add(document)
    db.session.flush()
    audit.record(actor, "round", round_.id, "add_document", "", "", DOCUMENT_ADDED(title=title))
    return document


def deletion_consequence(document: RoundDocument, announced: bool) -> str:
    if announced:
        return _("Xoá tài liệu \"%(title)s\": tài liệu không còn tải về được trên trang chủ công khai, kể cả qua "
                 "các đường dẫn đã chia sẻ. Tệp bị xoá hẳn, không khôi phục được.", title=document.title)
    return _("Xoá tài liệu \"%(title)s\": tệp bị xoá hẳn, không khôi phục được.", title=document.title)


@operation
def delete_document(actor, round_: Round, document_id: int, *, confirmed: bool = False) -> None:
    ensure_secretariat(actor)
    document = db.session.get(RoundDocument, document_id)
    if document is None or document.round_id != round_.id:
        raise RuleViolation(_("Tài liệu không thuộc đợt xét này."))
    ensure_confirmed(confirmed, deletion_consequence(document, is_announced(round_)))
    storage.remove_when_committed(document.stored_name)
    audit.record(actor, "round", round_.id, "delete_document", "", "", DOCUMENT_DELETED(title=document.title))
    db.session.delete(document)
    db.session.flush()


def public_document(document_id: int) -> RoundDocument | None:
    """A document of an announced round; any other does not exist for the public."""
    found = db.session.execute(select(RoundDocument, Round).join(Round, Round.id == RoundDocument.round_id)
                               .where(RoundDocument.id == document_id)).first()
    if found is None or not is_announced(found[1]):
        return None
    return found[0]


# ---------------------------------------------------------------- publication photos

def _widths_for(original_width: int) -> list[int]:
    """The fixed widths, never enlarging: an image narrower than a width is kept at its own width instead."""
    return sorted({min(width, original_width) for width in PHOTO_WIDTHS})


def _encode(image: Image.Image, width: int) -> bytes:
    height = max(1, round(image.height * width / image.width))
    resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif=, icc_profile= or comment=: Pillow writes none of the original's metadata.
    resized.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    """Upright (EXIF orientation applied before the EXIF goes), RGB on white (a transparent PNG has no black
    background in a JPEG)."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def photo_candidates_query(round_id: int):
    return select(Dossier).where(Dossier.round_id == round_id,
                                 Dossier.state.in_((states.APPROVED, states.PUBLISHED)))


@operation
def set_photo(actor, round_: Round, dossier_id: int, stream, filename: str) -> PublicationPhoto:
    """Set (or replace) the publication photo of an approved or published honouree of the round: JPEG or PNG only
    (sniffed from the content, a PDF renamed .jpg is refused), re-encoded at PHOTO_WIDTHS without metadata."""
    ensure_secretariat(actor)
    dossier = db.session.scalar(photo_candidates_query(round_.id).where(Dossier.id == dossier_id))
    if dossier is None:
        raise RuleViolation(_("Hồ sơ không thuộc danh sách được Hội đồng thông qua của đợt xét này."))
    stored = storage.store(stream, filename, current_app.config["MAX_ATTACHMENT_BYTES"])
    try:
        if stored.content_type not in ("image/jpeg", "image/png"):
            raise RuleViolation(_("Ảnh công bố phải là ảnh JPEG hoặc PNG."))
        with Image.open(storage.path_for(stored.stored_name),
                        formats=[storage.IMAGE_FORMATS[stored.content_type]]) as original:
            image = _flatten(original)
    except RuleViolation:
        raise
    except Exception:  # checked already, so only a truly odd file gets here
        raise RuleViolation(_("Tệp \"%(name)s\" không phải ảnh JPEG hoặc PNG hợp lệ (tệp bị hỏng hoặc không đầy "
                              "đủ).", name=stored.original_name)) from None
    finally:
        storage.remove(stored.stored_name)  # the upload itself is never kept: it may carry metadata
    key = uuid.uuid4().hex
    widths = _widths_for(image.width)
    photo = PublicationPhoto(dossier_id=dossier.id, key=key, widths=",".join(map(str, widths)),
                             uploaded_by_id=actor.id)
    for width in widths:
        name = photo.stored_name(width)
        storage.remove_unless_committed(name)
        with open(storage.path_for(name), "wb") as out:
            out.write(_encode(image, width))
    previous = db.session.scalar(select(PublicationPhoto).where(PublicationPhoto.dossier_id == dossier.id))
    if previous is not None:
        for name in previous.stored_names:
            storage.remove_when_committed(name)
        db.session.delete(previous)
        db.session.flush()
    db.session.add(photo)
    touch(dossier)  # public pages' stamps follow the dossier's updated_at
    audit.record(actor, "dossier", dossier.id, "set_publication_photo", dossier.state, dossier.state, PHOTO_SET())
    db.session.flush()
    return photo


def photos_of_round(round_id: int) -> dict[int, PublicationPhoto]:
    return {p.dossier_id: p for p in db.session.scalars(
        select(PublicationPhoto).join(Dossier, Dossier.id == PublicationPhoto.dossier_id)
        .where(Dossier.round_id == round_id))}


def public_photo(key: str, width: int) -> tuple[PublicationPhoto, str] | None:
    """A publication photo of a published honouree at one of its stored widths (its file's stored name), by its
    key: a replaced photo's URL is gone, so no cache keeps showing the old face under the new URL."""
    photo = db.session.scalar(
        select(PublicationPhoto).join(Dossier, Dossier.id == PublicationPhoto.dossier_id)
        .join(Round, Round.id == Dossier.round_id)
        .where(PublicationPhoto.key == key, Dossier.state == states.PUBLISHED, Round.published_at.is_not(None)))
    if photo is None or width not in photo.width_list \
            or photo.dossier_id not in consent.publication_allowed([photo.dossier_id]):
        return None
    return photo, photo.stored_name(width)
