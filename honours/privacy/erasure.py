"""Deletion on the person's request: what the law allows is anonymised, what another law requires is kept, and the
reply says which.

Anonymised: every person record and referral holding the address, and every dossier never honoured (name,
contacts, hometown, workplace, position, merits, achievements, attachments and their files, the submission
snapshots, proposed changes to the person record). Kept, as the round's anonymous statistics, the gender,
ethnicity and birth year of an anonymised dossier (the indicators count nominations by them, in aggregates only).
Kept whole: dossiers the council approved or that were published (the honouring decision and the published list
are records the law on emulation and commendation and the archives law require), and the audit log.
"""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from honours.core import audit, storage
from honours.core.confirm import ensure_confirmed
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.text import fold, name_sort_key
from honours.core.transactions import operation
from honours.nominations import services as nominations
from honours.nominations.models import Attachment
from honours.people.models import PersonChangeProposal

from . import holdings as held
from .models import DataRequest
from .services import _check_handler, add_action, answer
from .workflows import DELETION

ERASED_NAME = "(đã xoá theo yêu cầu)"
CLEARED = ("hometown", "workplace", "position", "email", "phone")


def _anonymise_profile(record) -> None:
    record.full_name = ERASED_NAME
    record.name_folded = fold(ERASED_NAME)
    for name in CLEARED:
        setattr(record, name, "")
    record.academic_title = ""
    record.is_overseas = False
    if record.date_of_birth:
        record.date_of_birth = date(record.date_of_birth.year, 1, 1)


def consequence(holdings: held.Holdings) -> str:
    erased = [d for d in holdings.dossiers if d.state not in held.HONOURED_STATES]
    return _("Dữ liệu sẽ bị xoá (ẩn danh), không khôi phục được: %(people)s bản ghi trí thức, %(dossiers)s hồ sơ "
             "đề cử không được tôn vinh (kèm tệp đính kèm), %(referrals)s phiếu tiến cử. Giữ lại: %(kept)s hồ sơ "
             "được tôn vinh (quyết định, danh sách công bố) và nhật ký hệ thống.",
             people=len(holdings.people), dossiers=len(erased), referrals=len(holdings.referrals),
             kept=len(holdings.honoured_dossiers))


def summary(holdings: held.Holdings) -> str:
    """The reply's account of what was erased and what was kept, and why."""
    erased = [d for d in holdings.dossiers if d.state not in held.HONOURED_STATES]
    lines = [_("Đã xoá (ẩn danh) dữ liệu cá nhân của ông/bà: %(people)s bản ghi trong cơ sở dữ liệu trí thức, "
               "%(dossiers)s hồ sơ đề cử không được tôn vinh (họ tên, liên hệ, quê quán, nơi công tác, thành tích, "
               "tệp đính kèm), %(referrals)s phiếu tiến cử (kèm tệp).",
               people=len(holdings.people), dossiers=len(erased), referrals=len(holdings.referrals))]
    if erased:
        lines.append(_("Giữ lại ở dạng không xác định được danh tính, cho số liệu thống kê của đợt xét: giới tính, "
                       "dân tộc, năm sinh của hồ sơ đã ẩn danh."))
    for dossier in holdings.honoured_dossiers:
        lines.append(_("Giữ lại hồ sơ được tôn vinh trong đợt \"%(round)s\": quyết định tặng danh hiệu và danh sách "
                       "công bố là hồ sơ mà pháp luật về thi đua, khen thưởng và lưu trữ yêu cầu lưu giữ.",
                       round=dossier.round.name))
    lines.append(_("Giữ lại nhật ký hệ thống (ai đã làm gì, khi nào), theo yêu cầu về trách nhiệm giải trình; nhật "
                   "ký không chứa nội dung hồ sơ."))
    return "\n".join(lines)


@operation
def erase(actor, request: DataRequest, *, confirmed: bool, note: str = "", version: int | None = None) -> str:
    """Anonymise what the law allows for the request's address, record the action and answer the request with
    the summary (and `note`). ConfirmationNeeded until confirmed."""
    _check_handler(actor, request, version)
    if request.kind != DELETION:
        raise RuleViolation(_("Chỉ yêu cầu xoá dữ liệu mới được xử lý bằng thao tác này."))
    if not request.is_open:
        raise RuleViolation(_("Yêu cầu đã được trả lời."))
    holdings = held.find(request.email)
    ensure_confirmed(confirmed, consequence(holdings))
    text = summary(holdings)
    for person in holdings.people:
        _anonymise_profile(person)
        person.sort_key = name_sort_key(ERASED_NAME)
        person.expertise = ""
        person.consent_national_db = False
        for proposal in person_proposals(person.id):
            proposal.old_value = proposal.proposed_value = ""
        audit.record(actor, "person", person.id, "erase")
    for dossier in holdings.dossiers:
        if dossier.state in held.HONOURED_STATES:
            continue
        _anonymise_profile(dossier)
        dossier.merits_summary = ""
        dossier.citation = ""
        dossier.last_reason = ""
        dossier.achievements.clear()
        _drop_files(dossier)
        for submission in dossier.submissions:
            submission.snapshot = nominations.snapshot(dossier)
        audit.record(actor, "dossier", dossier.id, "erase")
    for referral in holdings.referrals:
        _anonymise_profile(referral)
        referral.justification = referral.expertise_keywords = referral.proposed_role = ""
        referral.consent_national_db = False
        for attachment in list(referral.attachments):
            storage.remove_when_committed(attachment.stored_name)
            referral.attachments.remove(attachment)
        audit.record(actor, "referral", referral.id, "erase")
    add_action(actor, request, text)
    answer(actor, request, "\n\n".join(part for part in (text, (note or "").strip()) if part))
    return text


def person_proposals(person_id: int) -> list[PersonChangeProposal]:
    return list(db.session.scalars(select(PersonChangeProposal).where(PersonChangeProposal.person_id == person_id)))


def _drop_files(dossier) -> None:
    attachments = list(dossier.attachments)
    if not attachments:
        return
    ids = [a.id for a in attachments]
    db.session.execute(Attachment.__table__.update().where(Attachment.superseded_by_id.in_(ids))
                       .values(superseded_by_id=None))
    for attachment in attachments:
        storage.remove_when_committed(attachment.stored_name)
        dossier.attachments.remove(attachment)
    db.session.flush()
