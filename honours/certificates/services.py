"""Certificates of a published round's honourees: the template, the verification codes, revocation and what the
public verification page shows.

A certificate is valid while its honour stands: the code was not revoked by the secretariat, the dossier is still
published in a published round and the confirmed result approved it. Services flush; the request commits.
"""
import secrets
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from honours.core import audit, clock, storage
from honours.core.db import db, touch
from honours.core.errors import RuleViolation
from honours.core.roles import ensure_secretariat
from honours.core.text import name_sort_key
from honours.council import record
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.publication import services as publication
from honours.rounds.models import Round

from .models import Certificate, CertificateTemplate
from .workflows import CERTIFICATE, ISSUED

LOGO_TYPES = ("image/jpeg", "image/png")
CODE_BYTES = 9  # 12 URL-safe characters, 72 random bits


def template_of(round_: Round) -> CertificateTemplate:
    """The round's template, or an unsaved one with the defaults."""
    found = db.session.scalar(select(CertificateTemplate).where(CertificateTemplate.round_id == round_.id))
    if found is not None:
        return found
    template = CertificateTemplate(round_id=round_.id)
    for column in CertificateTemplate.__table__.columns:
        if getattr(template, column.key) is None and column.default is not None and not callable(column.default.arg):
            setattr(template, column.key, column.default.arg)
    return template


def save_template(actor, round_: Round, *, title: str, text: str, signer_capacity: str, signer_title: str,
                  signer_name: str, logo=None, remove_logo: bool = False) -> CertificateTemplate:
    ensure_secretariat(actor)
    template = template_of(round_)
    if not title.strip() or not text.strip() or not signer_title.strip():
        raise RuleViolation(_("Vui lòng nhập tiêu đề, nội dung và chức danh người ký."))
    template.title, template.text = title.strip(), text.strip()
    template.signer_capacity, template.signer_title = signer_capacity.strip(), signer_title.strip()
    template.signer_name = signer_name.strip()
    old_logo = template.logo_stored_name
    if logo is not None and getattr(logo, "filename", ""):
        stored = storage.store(logo.stream, logo.filename, current_app.config["MAX_ATTACHMENT_BYTES"])
        if stored.content_type not in LOGO_TYPES:
            storage.remove(stored.stored_name)
            raise RuleViolation(_("Biểu trưng phải là ảnh JPEG hoặc PNG."))
        storage.remove_unless_committed(stored.stored_name)
        template.logo_stored_name, template.logo_content_type = stored.stored_name, stored.content_type
    elif remove_logo:
        template.logo_stored_name, template.logo_content_type = None, ""
    if old_logo and old_logo != template.logo_stored_name:
        storage.remove_when_committed(old_logo)
    template.updated_by_id = actor.id
    touch(template)
    db.session.add(template)
    db.session.flush()
    audit.record(actor, "round", round_.id, "certificate_template")
    return template


def _approved(dossiers: list[Dossier]) -> list[Dossier]:
    """What the chair confirmed: a dossier the confirmed record did not approve holds no honour."""
    recorded = record.approved_ids({d.round_id for d in dossiers}) if dossiers else {}
    return [d for d in dossiers if d.round_id not in recorded or d.id in recorded[d.round_id]]


def honourees(round_: Round) -> list[Dossier]:
    """The round's published honourees, in name order (one query, plus the confirmed record)."""
    if round_.published_at is None:
        return []
    dossiers = db.session.scalars(
        select(Dossier).where(Dossier.round_id == round_.id, Dossier.state == states.PUBLISHED)).all()
    return sorted(_approved(list(dossiers)), key=lambda d: (name_sort_key(d.full_name), d.id))


def certificates_by_dossier(dossier_ids) -> dict[int, Certificate]:
    dossier_ids = list(dossier_ids)
    if not dossier_ids:
        return {}
    return {c.dossier_id: c for c in db.session.scalars(
        select(Certificate).where(Certificate.dossier_id.in_(dossier_ids)))}


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def issue_codes(actor, round_: Round, make_code=new_code) -> int:
    """A verification code for every published honouree of the round who has none yet; how many were issued.
    (`make_code`: the demo's codes are reproducible; real ones come from `secrets`.)"""
    ensure_secretariat(actor)
    people = honourees(round_)
    if not people:
        raise RuleViolation(_("Đợt xét chưa công bố danh sách được tôn vinh."))
    have = certificates_by_dossier(d.id for d in people)
    issued = 0
    for dossier in people:
        if dossier.id not in have:
            db.session.add(Certificate(dossier_id=dossier.id, code=make_code(), state=ISSUED, issued_by_id=actor.id))
            issued += 1
    db.session.flush()
    if issued:
        audit.record(actor, "round", round_.id, "issue_certificates", reason=str(issued))
    return issued


def change_state(actor, certificate: Certificate, action: str, reason: str) -> None:
    CERTIFICATE.apply(actor, certificate, action, reason)
    db.session.flush()


# ---------------------------------------------------------------- the public verification


@dataclass(frozen=True)
class Verification:
    code: str
    name: str  # with the title prefix ("PGS.TS. Nguyễn Văn An")
    academic_title: str
    degree: str
    round_name: str
    year: int
    decision_number: str
    decision_date: date | None
    revoked: bool


def is_valid(certificate: Certificate) -> bool:
    dossier = certificate.dossier
    return (certificate.state == ISSUED and dossier.state == states.PUBLISHED and dossier.round.published_at is not None
            and bool(_approved([dossier])))


def name_with_title(dossier: Dossier) -> str:
    parts = [p for p in (dossier.academic_title,
                         dossier.degree if dossier.degree in publication.NAME_PREFIX_DEGREES else "") if p]
    return (".".join(parts) + ". " if parts else "") + dossier.full_name


def verification(code: str) -> Verification | None:
    """What the public page shows for a code; None for an unknown one."""
    if not code or len(code) > 24:
        return None
    certificate = db.session.scalar(select(Certificate).where(Certificate.code == code).options(
        joinedload(Certificate.dossier).joinedload(Dossier.round)))
    if certificate is None:
        return None
    dossier = certificate.dossier
    decision = publication.decisions_for([dossier.round_id]).get(dossier.round_id)
    return Verification(certificate.code, name_with_title(dossier), dossier.academic_title, dossier.degree,
                        dossier.round.name, dossier.round.year, decision.number if decision else "",
                        decision.date if decision else None, not is_valid(certificate))


def verification_url(code: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/xac-minh/" + code


def today() -> date:
    return clock.now().date()
