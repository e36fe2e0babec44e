"""Access rules of the nominee's consent: the person's page is public (a signed link is the key; without a valid
one it answers 410), the steps are the nominating organisation's and the secretariat's (404 for another
organisation's), the confirmation of paper consent the secretariat's alone."""
import hashlib
import uuid

from honours.core import roles

EVERYONE = {"anonymous", *roles.ALL_ROLES}
CASE_HANDLERS = {roles.NOMINATOR, roles.SECRETARIAT}
SECRETARIAT = {roles.SECRETARIAT}

RULES = {
    "consent.answer": EVERYONE,
    "consent.answered": EVERYONE,
    "consent.ask_dossier": CASE_HANDLERS,
    "consent.ask_referral": CASE_HANDLERS,
    "consent.paper_form": CASE_HANDLERS,
    "consent.upload_scan": CASE_HANDLERS,
    "consent.download_scan": CASE_HANDLERS,
    "consent.confirm": SECRETARIAT,
    "consent.reject_scan": SECRETARIAT,
}
OWNED = {"consent_id"}
NOT_OWNED = {"consent_token"}


def params(world) -> dict:
    """The matrix dossier's consent request with a live link and a signed scan on disk."""
    from honours.consent import services
    from honours.consent.models import ConsentScan
    from honours.core.db import db
    from honours.core.storage import path_for
    from tests.factories import PDF

    consent = services.request_for(world["dossier"])
    consent.link_nonce = uuid.uuid4().hex
    stored_name = uuid.uuid4().hex
    with open(path_for(stored_name), "wb") as stored:
        stored.write(PDF)
    consent.scans.append(ConsentScan(kind="other", original_name="phieu-dong-y.pdf", stored_name=stored_name,
                                     content_type="application/pdf", size=len(PDF),
                                     sha256=hashlib.sha256(PDF).hexdigest(),
                                     uploaded_by_id=world["dossier"].created_by_id))
    db.session.commit()
    return {"consent_id": consent.id, "consent_token": services.link_for(consent).rsplit("/", 1)[1]}
