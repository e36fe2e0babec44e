"""Access rules of certificates: the secretariat keeps a round's template, codes and downloads; the verification
page /xac-minh/<code> is public (the world's certificate is a real one, so every role reaches it)."""
EVERYONE = {"anonymous", "admin", "secretariat", "nominator", "council"}
SECRETARIAT = {"secretariat"}

RULES = {
    "certificates.round_page": SECRETARIAT,
    "certificates.issue": SECRETARIAT,
    "certificates.download_all": SECRETARIAT,
    "certificates.download": SECRETARIAT,
    "certificates.status": SECRETARIAT,
    "certificates.verify": EVERYONE,
}
NOT_OWNED = {"certificate_id", "verification_code"}


def params(world) -> dict:
    from honours.certificates.models import Certificate
    from honours.core.db import db

    certificate = Certificate(dossier_id=world["dossier"].id, code="matrix-code-1")
    db.session.add(certificate)
    db.session.commit()
    return {"certificate_id": certificate.id, "verification_code": certificate.code}
