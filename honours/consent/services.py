"""Asking, recording and honouring the person's own consent.

A dossier's or referral's submission asks the person once (resubmission does not ask again): by email, a signed
link that works once and expires (CONSENT_LINK_DAYS), to a page showing what is held about them; without an
email, on paper (the nominator prints the form, uploads the signed scan, the secretariat records what was ticked).
A re-sent link (the nominator's or the secretariat's request, or the person's own through the rights page) lets the
person change their answers and withdraw consents. Later stages ask `round_processing_allowed()`,
`publication_allowed()`, `database_choices()`; `consent_withdrawn` tells them a consent was taken back.
"""
import hmac
import secrets
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from honours.auth.invitations import ClockSigner
from honours.core import audit, clock, roles, storage
from honours.core.db import db, lock_row, touch
from honours.core.errors import RuleViolation
from honours.core.outbox import services as outbox
from honours.core.transactions import operation
from honours.nominations.access import can_view_dossier
from honours.nominations.models import Dossier
from honours.nominations.submissions import FIELD_LABELS, shown_value
from honours.talent.access import can_view_referral
from honours.talent.models import Referral

from . import signals
from .models import ConsentChoice, ConsentRequest, ConsentScan
from .purposes import (
    BY_CODE,
    CODES,
    GIVEN,
    NATIONAL_DB,
    ONLINE,
    PAPER,
    PROVINCIAL_DB,
    PUBLICATION,
    PURPOSES,
    REFUSED,
    ROUND,
    WITHDRAWN,
)
from .workflows import CONSENT, PAPER_PENDING, RECORDED, REQUESTED

ENTITY = "consent_request"
SALT = "consent-link"
PATH = "/dong-y/"
ANSWERED_ONLINE = audit.Reason("consent.answered", audit.N_(
    "Người được đề cử trả lời qua liên kết, từ địa chỉ %(ip)s: %(choices)s."))
WITHDRAWN_REASON = audit.Reason("consent.withdrawn", audit.N_("Rút lại đồng ý: %(purposes)s."))
PAPER_RECORDED = audit.Reason("consent.paper", audit.N_("Ghi nhận theo bản giấy có chữ ký: %(choices)s."))
LINK_SENT = audit.Reason("consent.link_sent", audit.N_("Gửi liên kết xin ý kiến đến %(email)s."))


class LinkInvalid(RuleViolation):
    """A forged, used, replaced or expired link: the page says so and how to get a new one."""


# ---------------------------------------------------------------- who may handle a request

def can_handle(user, consent: ConsentRequest) -> bool:
    """The nominating organisation of the subject and the secretariat (as for the dossier or referral itself)."""
    if user.role not in (roles.NOMINATOR, roles.SECRETARIAT):
        return False
    subject = consent.subject
    return can_view_dossier(user, subject) if consent.dossier_id is not None else can_view_referral(user, subject)


def request_for(subject) -> ConsentRequest | None:
    column = ConsentRequest.dossier_id if isinstance(subject, Dossier) else ConsentRequest.referral_id
    return db.session.scalar(select(ConsentRequest).where(column == subject.id))


# ---------------------------------------------------------------- the link

def valid_days() -> int:
    return current_app.config["CONSENT_LINK_DAYS"]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=ClockSigner)


def link_for(consent: ConsentRequest) -> str:
    token = _serializer().dumps({"r": consent.id, "n": consent.link_nonce})
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + PATH + token


def request_for_token(token: str, lock: bool = False) -> ConsentRequest:
    """The request a link is for, or LinkInvalid (forged, expired, used once already, or replaced by a newer)."""
    invalid = _("Liên kết không hợp lệ hoặc đã được sử dụng. Mỗi liên kết chỉ dùng được một lần; vui lòng đề nghị "
                "đơn vị đề cử hoặc Ban thư ký gửi lại liên kết mới.")
    try:
        payload = _serializer().loads(token, max_age=valid_days() * 86400)
    except SignatureExpired:
        raise LinkInvalid(_("Liên kết đã hết hạn (liên kết có hiệu lực %(days)s ngày). Vui lòng đề nghị đơn vị đề "
                            "cử hoặc Ban thư ký gửi lại liên kết mới.", days=valid_days())) from None
    except BadSignature:
        raise LinkInvalid(invalid) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int) or not isinstance(payload.get("n"), str):
        raise LinkInvalid(invalid)
    consent = lock_row(ConsentRequest, payload["r"], "link_nonce") if lock \
        else db.session.get(ConsentRequest, payload["r"])
    if consent is None or not consent.link_nonce or not hmac.compare_digest(consent.link_nonce, payload["n"]):
        raise LinkInvalid(invalid)
    return consent


def _send_link(consent: ConsentRequest, actor) -> None:
    subject = consent.subject
    consent.email = subject.email
    consent.link_nonce = secrets.token_hex(16)
    consent.link_sent_at = clock.now()
    link = link_for(consent)
    outbox.enqueue(consent.email,
                   render_template("email/consent_subject.txt", consent=consent).strip(),
                   render_template("email/consent_request.txt", consent=consent, person=subject, link=link,
                                   days=valid_days(), purposes=PURPOSES))
    audit.record(actor, ENTITY, consent.id, "send_consent_link", reason=LINK_SENT(email=consent.email))


# ---------------------------------------------------------------- asking

def _create(subject, actor) -> ConsentRequest:
    consent = ConsentRequest(state=REQUESTED if subject.email else PAPER_PENDING)
    if isinstance(subject, Dossier):
        consent.dossier = subject
    else:
        consent.referral = subject
    db.session.add(consent)
    db.session.flush()
    audit.record(actor, ENTITY, consent.id, "create", to_state=consent.state)
    if subject.email:
        _send_link(consent, actor)
    return consent


def on_submitted(subject, actor=None) -> None:
    """A (re)submission: ask the person, unless they were asked already (their answers stand)."""
    if request_for(subject) is None:
        _create(subject, actor)
        db.session.flush()


@operation
def ask_again(actor, subject) -> ConsentRequest:
    """The nominator or the secretariat asks (again): a new link by email (the old one stops working); a subject
    submitted before consent was asked gets its request now. Without an email the paper form is the way."""
    may_view = can_view_dossier if isinstance(subject, Dossier) else can_view_referral
    if actor is not None and (actor.role not in (roles.NOMINATOR, roles.SECRETARIAT) or not may_view(actor, subject)):
        raise RuleViolation(_("Bạn không có quyền thực hiện thao tác này."))
    consent = request_for(subject)
    if consent is None:
        return _create(subject, actor)
    if not subject.email:
        raise RuleViolation(_("Hồ sơ không có email của người được đề cử: vui lòng dùng mẫu phiếu đồng ý bản giấy."))
    _send_link(consent, actor)
    touch(consent)
    db.session.flush()
    return consent


# ---------------------------------------------------------------- answering

@dataclass
class HeldData:
    """What the page shows the person: exactly what is held about them in this dossier or referral."""

    facts: list[tuple[str, str]]
    achievements: list[str]
    attachments: list[str]


# A referral's own fields besides the profile (labels as on the referral form).
REFERRAL_LABELS = {"expertise_keywords": _l("Từ khoá chuyên môn"), "proposed_role": _l("Vị trí, nhiệm vụ đề xuất"),
                   "justification": _l("Lý do tiến cử")}


def held_data(consent: ConsentRequest) -> HeldData:
    subject = consent.subject
    facts = []
    labels = FIELD_LABELS if consent.dossier_id is not None else {**FIELD_LABELS, **REFERRAL_LABELS}
    for name, label in labels.items():
        if not hasattr(subject, name):
            continue
        value = getattr(subject, name)
        if name == "field":
            value = value.name if hasattr(value, "name") else value
        elif name == "date_of_birth" and value is not None:
            value = value.isoformat()
        facts.append((str(label), shown_value(name, value) if name in FIELD_LABELS else (value or "—")))
    achievements = [f"{a.year} — {a.title}" for a in getattr(subject, "achievements", [])]
    attachments = [f"{a.kind_label}: {a.original_name}" for a in subject.attachments if a.is_current]
    return HeldData(facts, achievements, attachments)


def _describe(choices: dict[str, str]) -> str:
    return "; ".join(f"({code}) {_decision_word(decision)}" for code, decision in sorted(choices.items()))


def _decision_word(decision: str) -> str:
    return {GIVEN: "đồng ý", REFUSED: "không đồng ý", WITHDRAWN: "rút lại đồng ý"}[decision]


def _record(consent: ConsentRequest, answers: dict[str, bool], *, channel: str, client_address: str = "",
            actor=None) -> tuple[dict[str, str], list[str]]:
    """Append a choice for every purpose whose answer changed (all of them the first time). A consent given
    before and not given now is withdrawn. Returns (recorded choices, withdrawn purposes)."""
    missing = [code for code in CODES if answers.get(code) is None]
    if missing:
        raise RuleViolation(_("Vui lòng chọn Đồng ý hoặc Không đồng ý cho từng mục (còn thiếu: %(items)s).",
                              items=", ".join(f"({code})" for code in missing)))
    current = consent.current
    recorded, withdrawn = {}, []
    for code in CODES:
        before = current.get(code)
        was_given = before is not None and before.decision == GIVEN
        if answers[code]:
            decision = GIVEN
        else:
            decision = WITHDRAWN if was_given else REFUSED
        if before is not None and before.decision == decision:
            continue
        if before is not None and not answers[code] and not was_given:
            continue  # refused, still refused
        consent.choices.append(ConsentChoice(
            purpose=code, decision=decision, text_hash=BY_CODE[code].text_hash, decided_at=clock.now(),
            client_address=client_address[:45], channel=channel, recorded_by_id=actor.id if actor else None))
        recorded[code] = decision
        if decision == WITHDRAWN:
            withdrawn.append(code)
    return recorded, withdrawn


def _after_withdrawal(consent: ConsentRequest, actor, withdrawn: list[str]) -> None:
    if withdrawn:
        audit.record(actor, ENTITY, consent.id, "withdraw_consent",
                     reason=WITHDRAWN_REASON(purposes=", ".join(f"({code})" for code in withdrawn)))
        signals.consent_withdrawn.send(consent, purposes=tuple(withdrawn))


@operation
def answer(token: str, answers: dict[str, bool], client_address: str) -> ConsentRequest:
    """The person's answer through the link: every purpose answered, none preselected; the link is then used."""
    consent = request_for_token(token, lock=True)
    action = "change_answer" if consent.state in RECORDED else "answer"
    CONSENT.check(None, consent, action)
    recorded, withdrawn = _record(consent, answers, channel=ONLINE, client_address=client_address)
    if action == "answer" or recorded:
        CONSENT.apply(None, consent, action, ANSWERED_ONLINE(ip=client_address, choices=_describe(recorded) or "—"))
    consent.link_nonce = None  # single use
    consent.link_used_at = clock.now()
    touch(consent)
    db.session.flush()
    _after_withdrawal(consent, None, withdrawn)
    return consent


# ---------------------------------------------------------------- paper

@operation
def upload_scan(actor, consent: ConsentRequest, stream, filename: str) -> ConsentScan:
    """The signed paper form, scanned (PDF, JPEG or PNG; checked as every upload is)."""
    if not can_handle(actor, consent):
        raise RuleViolation(_("Bạn không có quyền thực hiện thao tác này."))
    CONSENT.check(actor, consent, "upload_scan")
    stored = storage.store(stream, filename, current_app.config["MAX_ATTACHMENT_BYTES"])
    storage.remove_unless_committed(stored.stored_name)
    scan = ConsentScan(kind="other", original_name=stored.original_name, stored_name=stored.stored_name,
                       content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
                       uploaded_by_id=actor.id)
    consent.scans.append(scan)
    CONSENT.apply(actor, consent, "upload_scan")
    db.session.flush()
    return scan


@operation
def confirm_paper(actor, consent: ConsentRequest, answers: dict[str, bool]) -> ConsentRequest:
    """The secretariat records what the person ticked and signed on the uploaded form."""
    if actor.role != roles.SECRETARIAT:
        raise RuleViolation(_("Chỉ Ban thư ký xác nhận phiếu đồng ý bản giấy."))
    CONSENT.check(actor, consent, "confirm_paper")
    recorded, withdrawn = _record(consent, answers, channel=PAPER, actor=actor)
    CONSENT.apply(actor, consent, "confirm_paper", PAPER_RECORDED(choices=_describe(recorded) or "—"))
    touch(consent)
    db.session.flush()
    _after_withdrawal(consent, actor, withdrawn)
    return consent


@operation
def reject_scan(actor, consent: ConsentRequest, reason: str) -> ConsentRequest:
    """The scan is unreadable, unsigned or incomplete: the organisation uploads another."""
    CONSENT.apply(actor, consent, "reject_scan", reason)
    touch(consent)
    db.session.flush()
    return consent


def paper_form(consent: ConsentRequest) -> bytes:
    """The consent form to print and sign: what is held, each purpose with boxes to tick, the signature block."""
    from honours.core.pdf import Document

    subject = consent.subject
    title = _("Phiếu xin ý kiến đồng ý xử lý dữ liệu cá nhân")
    document = Document(title)
    document.paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    document.paragraph("Độc lập - Tự do - Hạnh phúc")
    document.heading(title)
    code = f"DY-{consent.id:05d}"
    document.paragraph(_("Người được đề cử: %(name)s. Mã phiếu: %(code)s.", name=subject.full_name, code=code))
    held = held_data(consent)
    document.paragraph(_("Thông tin đang lưu về ông/bà"), bold=True)
    document.data_table([_("Thông tin"), _("Nội dung")], [list(fact) for fact in held.facts], [60, 114])
    if held.achievements:
        document.paragraph(_("Thành tích: %(items)s", items="; ".join(held.achievements)))
    if held.attachments:
        document.paragraph(_("Tệp đính kèm: %(items)s", items="; ".join(held.attachments)))
    document.paragraph(_("Xin ông/bà đánh dấu một ô cho từng mục (theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15 "
                         "và Nghị định 356/2025/NĐ-CP; có thể rút lại đồng ý bất cứ lúc nào):"), bold=True)
    for purpose in PURPOSES:
        document.paragraph(purpose.shown)
        document.paragraph("      [   ] " + _("Đồng ý") + "          [   ] " + _("Không đồng ý"))
    document.paragraph(_("Ngày ..... tháng ..... năm ........"))
    document.paragraph(_("Người được đề cử ký và ghi rõ họ tên"), bold=True)
    document.ln(24)
    document.paragraph(subject.full_name)
    return document.bytes()


# ---------------------------------------------------------------- what later stages ask

def round_processing_allowed(dossier) -> None:
    """Raises RuleViolation unless the nominee consented to (a): the dossier cannot be marked eligible."""
    consent = request_for(dossier)
    if consent is None or not consent.allows(ROUND):
        state = consent.state_label if consent is not None else _("chưa xin ý kiến")
        raise RuleViolation(_("Chưa thể kết luận hồ sơ hợp lệ: người được đề cử chưa đồng ý cho xử lý dữ liệu cá "
                              "nhân trong đợt xét (mục a). Tình trạng xin ý kiến: %(state)s.", state=state))


def round_consent(dossier_ids) -> dict[int, str]:
    """{dossier id: GIVEN / REFUSED / WITHDRAWN / ""} for (a), the secretariat's inbox column ("": not answered,
    or never asked). One query."""
    ids = list(dossier_ids)
    if not ids:
        return {}
    latest = _latest(db.session.execute(
        select(ConsentRequest.dossier_id, ConsentChoice.decision)
        .join(ConsentChoice, ConsentChoice.request_id == ConsentRequest.id)
        .where(ConsentRequest.dossier_id.in_(ids), ConsentChoice.purpose == ROUND).order_by(ConsentChoice.id)))
    return {i: latest.get(i, "") for i in ids}


def _latest(rows) -> dict:
    """{key: decision} keeping the last row per key (rows ordered by choice id)."""
    latest = {}
    for key, decision in rows:
        latest[key] = decision
    return latest


def publication_allowed(dossier_ids) -> set[int]:
    """The dossiers among `dossier_ids` whose nominee's personal data beyond name and title may be published (b).
    One query. A dossier without a consent request predates it (its consent was collected on paper outside the
    platform, docs/personal-data.md) and is published as before; with a request, only a (b) in force counts."""
    ids = set(dossier_ids)
    if not ids:
        return set()
    asked = {}
    for dossier_id, decision in db.session.execute(
            select(ConsentRequest.dossier_id, ConsentChoice.decision)
            .outerjoin(ConsentChoice, (ConsentChoice.request_id == ConsentRequest.id)
                       & (ConsentChoice.purpose == PUBLICATION))
            .where(ConsentRequest.dossier_id.in_(ids)).order_by(ConsentChoice.id)):
        asked[dossier_id] = decision == GIVEN
    return {i for i in ids if asked.get(i, True)}


def database_choices(person_ids=None) -> dict[int, dict[str, bool]]:
    """{person id: {"c": in force?, "d": in force?}} for the people asked about (c) and (d), whichever dossier or
    referral asked them (the latest choice counts). People never asked are absent: the caller keeps the
    organisation's recorded consent for them. One query."""
    person = func.coalesce(Dossier.person_id, Referral.person_id)
    query = (select(person, ConsentChoice.purpose, ConsentChoice.decision)
             .join(ConsentRequest, ConsentRequest.id == ConsentChoice.request_id)
             .outerjoin(Dossier, Dossier.id == ConsentRequest.dossier_id)
             .outerjoin(Referral, Referral.id == ConsentRequest.referral_id)
             .where(ConsentChoice.purpose.in_((PROVINCIAL_DB, NATIONAL_DB)), person.is_not(None))
             .order_by(ConsentChoice.id))
    if person_ids is not None:
        query = query.where(person.in_(list(person_ids)))
    latest = _latest(((person_id, purpose), decision) for person_id, purpose, decision in db.session.execute(query))
    choices: dict[int, dict[str, bool]] = {}
    for (person_id, purpose), decision in latest.items():
        choices.setdefault(person_id, {})[purpose] = decision == GIVEN
    return choices


def provincial_refusals():
    """The ids of the people whose latest choice for (c) is a refusal or a withdrawal, as a subquery (for
    `Person.id.not_in(...)`): they are kept out of the province's database of intellectuals and experts."""
    person = func.coalesce(Dossier.person_id, Referral.person_id)
    latest = (select(person.label("person_id"), func.max(ConsentChoice.id).label("choice_id"))
              .join(ConsentRequest, ConsentRequest.id == ConsentChoice.request_id)
              .outerjoin(Dossier, Dossier.id == ConsentRequest.dossier_id)
              .outerjoin(Referral, Referral.id == ConsentRequest.referral_id)
              .where(ConsentChoice.purpose == PROVINCIAL_DB, person.is_not(None))
              .group_by(person).subquery())
    return (select(latest.c.person_id).join(ConsentChoice, ConsentChoice.id == latest.c.choice_id)
            .where(ConsentChoice.decision != GIVEN))
