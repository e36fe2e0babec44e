"""Demo certificates: last year's published round has its template (signer named) and a verification code for every
honouree, one revoked by the secretary with a reason. Codes are reproducible (a seeded generator), unlike real ones."""
import base64
import random
from datetime import timedelta

from honours.certificates import services
from honours.certificates.models import Certificate
from honours.core import clock, roles
from honours.core.db import db
from honours.rounds.models import Round

REVOKE_REASON = "Quyết định số 45/QĐ-UBND thu hồi danh hiệu do thành tích kê khai không đúng (thử nghiệm demo)."


def seed_certificates(accounts: list, past_round: Round) -> list[str]:
    secretary = next(u for u in accounts if u.role == roles.SECRETARIAT)
    rng = random.Random(f"certificates-{past_round.year}")  # nosec B311 # reproducible demo codes, not secrets

    def code() -> str:
        return base64.urlsafe_b64encode(rng.randbytes(services.CODE_BYTES)).decode()

    with clock.frozen(past_round.published_at + timedelta(days=3)):
        services.save_template(secretary, past_round, title="GIẤY CHỨNG NHẬN",
                               text="Đã được tôn vinh danh hiệu \u201cTrí thức Bắc Ninh tiêu biểu\u201d",
                               signer_capacity="TM. ỦY BAN NHÂN DÂN", signer_title="CHỦ TỊCH",
                               signer_name="Vương Quốc Tuấn")
        issued = services.issue_codes(secretary, past_round, make_code=code)
    revoked = None
    people = services.honourees(past_round)
    if people:
        certificate = db.session.query(Certificate).filter_by(dossier_id=people[-1].id).one()
        with clock.frozen(past_round.published_at + timedelta(days=20)):
            services.change_state(secretary, certificate, "revoke", REVOKE_REASON)
        revoked = certificate
    db.session.commit()
    lines = [f"Certificates: {issued} verification codes for {past_round.name} "
             f"(/certificates/rounds/{past_round.id})"]
    if revoked is not None:
        lines.append(f"  revoked certificate: /xac-minh/{revoked.code}")
    return lines
