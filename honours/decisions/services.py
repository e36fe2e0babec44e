"""The signed provincial decision of a confirmed council session: upload, signature check, record, and what the
public pages offer. Services flush; the request commits.

Only the secretariat uploads, and only once the decision (number, date, signer) is recorded on the confirmed
session. A file whose signatures are not valid (unsigned, invalid, modified after signing, or signed by a
certificate outside the configured trust anchors) is accepted only with the secretariat's note saying why.
Replacing a file overwrites the record; the audit log keeps every upload with its result and checksum.
"""
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from honours.core import audit, clock, storage
from honours.core.audit import N_, Reason
from honours.core.db import db, lock_row
from honours.core.errors import RuleViolation
from honours.core.roles import ensure_secretariat
from honours.core.transactions import operation
from honours.council.models import CONFIRMED, CouncilSession
from honours.council.services import FieldRuleViolation

from . import validation
from .models import SignedDecision

MAX_NOTE = 2000
UPLOADED = Reason("decisions.uploaded", N_("Tệp \"%(name)s\" (SHA-256 %(sha256)s). Kết quả kiểm tra: %(result)s "
                                           "Ghi chú: %(note)s"))


@dataclass(frozen=True)
class PublicFile:
    """What the public pages need to offer the signed decision (and what their cache stamp covers)."""

    id: int
    sha256: str
    status: str

    @property
    def is_valid(self) -> bool:
        return self.status in validation.ACCEPTED_WITHOUT_NOTE


def of_session(session_id: int) -> SignedDecision | None:
    return db.session.scalar(select(SignedDecision).where(SignedDecision.session_id == session_id))


def by_id(decision_id: int) -> SignedDecision | None:
    return db.session.get(SignedDecision, decision_id)


def public_files(session_ids) -> dict[int, PublicFile]:
    """The signed decision file per session id (one query)."""
    session_ids = list(session_ids)
    if not session_ids:
        return {}
    rows = db.session.execute(select(SignedDecision.session_id, SignedDecision.id, SignedDecision.sha256,
                                     SignedDecision.status).where(SignedDecision.session_id.in_(session_ids)))
    return {r.session_id: PublicFile(r.id, r.sha256, r.status) for r in rows}


def ensure_can_upload(actor, session: CouncilSession) -> None:
    ensure_secretariat(actor)
    if session.status != CONFIRMED or not session.decision_recorded:
        raise RuleViolation(_("Chỉ tải lên bản quyết định có chữ ký số sau khi đã ghi nhận số, ngày và người ký "
                              "quyết định trên phiên họp đã được Chủ tịch Hội đồng xác nhận."))


def _read(stored_name: str) -> bytes:
    with open(storage.path_for(stored_name), "rb") as stored:
        return stored.read()  # the upload size limit bounds this


@operation
def record(actor, session: CouncilSession, stream, filename: str, note: str,
           anchors_der: tuple[bytes, ...] | None = None) -> SignedDecision:
    """Store the uploaded decision PDF, check its signatures (against `anchors_der`, by default the configured
    TRUSTED_SIGNING_CAS) and record the result. The file leaves the disk again unless the transaction commits."""
    ensure_can_upload(actor, session)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise FieldRuleViolation(_("Tối đa %(max)d ký tự.", max=MAX_NOTE), "note")
    if not filename:
        raise FieldRuleViolation(_("Vui lòng chọn tệp để tải lên."), "file")
    try:
        stored = storage.store(stream, filename, current_app.config["MAX_ATTACHMENT_BYTES"])
    except RuleViolation as error:
        raise FieldRuleViolation(error.message, "file") from None
    try:
        if stored.content_type != "application/pdf":
            raise FieldRuleViolation(_("Quyết định phải là tệp PDF (bản có chữ ký số do cơ quan ban hành gửi)."),
                                     "file")
        try:
            result = validation.validate(_read(stored.stored_name), anchors_der)
        except RuleViolation as error:
            raise FieldRuleViolation(error.message, "file") from None
        if result.status not in validation.ACCEPTED_WITHOUT_NOTE and not note:
            raise FieldRuleViolation(_("%(result)s. Chỉ lưu tệp này khi có ghi chú giải thích lý do (ví dụ: bản "
                                       "chụp của quyết định giấy, đã đề nghị cơ quan ban hành gửi lại bản ký số).",
                                       result=result.label), "note")
    except BaseException:
        storage.remove(stored.stored_name)
        raise
    storage.remove_unless_committed(stored.stored_name)
    # Two first uploads at once would both insert (one session, one file): the second waits here, then replaces.
    lock_row(CouncilSession, session.id, "decision_number")
    decision = of_session(session.id)
    if decision is None:
        decision = SignedDecision(session_id=session.id)
        db.session.add(decision)
    elif decision.stored_name != stored.stored_name:
        storage.remove_when_committed(decision.stored_name)
    with force_locale("vi"):  # the record is Vietnamese whatever the uploader's interface language
        summary = result.summary()
    decision.kind = "decision"
    decision.original_name, decision.stored_name = stored.original_name, stored.stored_name
    decision.content_type, decision.size, decision.sha256 = stored.content_type, stored.size, stored.sha256
    decision.status, decision.signer_subject = result.status, result.signer_subject[:500]
    decision.signed_at, decision.summary, decision.note = result.signed_at, summary, note
    decision.uploaded_by_id, decision.uploaded_at = actor.id, clock.now()
    db.session.flush()
    audit.record(actor, "council_session", session.id, "signed_decision",
                 reason=UPLOADED(name=stored.original_name, sha256=stored.sha256, result=summary, note=note or "—"))
    db.session.flush()
    return decision
