"""Demo signed decision: last year's published round has its provincial decision as a signed PDF (the app's own
draft decision, signed with a throw-away certification authority generated here and passed as the trust anchor,
so the demo shows "valid, trusted" whatever TRUSTED_SIGNING_CAS says)."""
import io
from datetime import timedelta

from sqlalchemy import select

from honours.core import clock, roles
from honours.core.db import db
from honours.council.models import CONFIRMED, CouncilSession
from honours.decisions import services
from honours.documents import services as documents
from honours.rounds.models import Round

from . import pki


def seed_signed_decision(accounts: list, past_round: Round) -> list[str]:
    secretary = next(u for u in accounts if u.role == roles.SECRETARIAT)
    session = db.session.scalar(
        select(CouncilSession).where(CouncilSession.round_id == past_round.id, CouncilSession.status == CONFIRMED)
        .order_by(CouncilSession.confirmed_at.desc()))
    if session is None or not session.decision_number:
        return []
    authority = pki.make_ca("CA chuyên dùng Chính phủ (demo)")
    signer = pki.make_signer(authority, "Chủ tịch UBND tỉnh Bắc Ninh (demo)")
    draft = documents.FORMATS["pdf"][1](documents.build(session, "du-thao-quyet-dinh"))  # unsigned rendering
    signed = pki.sign(draft, signer, authority, field_name="ChuKyUBND")
    with clock.frozen(past_round.published_at + timedelta(days=1)):
        decision = services.record(secretary, session, io.BytesIO(signed), "quyet-dinh-1523-QD-UBND.pdf", "",
                                   anchors_der=(authority.der,))
    db.session.commit()
    return [f"Signed decision: {decision.status_label} (/decisions/sessions/{session.id})"]
