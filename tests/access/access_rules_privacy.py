"""Access rules of the person's rights: anyone may ask for the link, whoever holds one sees what is held about its
address and lodges requests; the secretariat and the administrator handle the requests and keep the record of
processing."""
EVERYONE = {"anonymous", "admin", "secretariat", "council", "nominator"}
HANDLERS = {"admin", "secretariat"}

RULES = {
    "privacy.lookup": EVERYONE,
    "privacy.lookup_sent": EVERYONE,
    "privacy.subject": EVERYONE,
    "privacy.subject_json": EVERYONE,
    "privacy.subject_pdf": EVERYONE,
    "privacy.inbox": HANDLERS,
    "privacy.show": HANDLERS,
    "privacy.add_action": HANDLERS,
    "privacy.reply": HANDLERS,
    "privacy.erase": HANDLERS,
    "privacy.processing_record": HANDLERS,
    "privacy.processing_record_pdf": HANDLERS,
    "privacy.processing_record_docx": HANDLERS,
}
OWNED: set = set()
NOT_OWNED = {"subject_token"}


def params(world) -> dict:
    from datetime import timedelta

    from honours.core import clock
    from honours.core.db import db
    from honours.privacy import services
    from honours.privacy.models import DataRequest

    world["dossier"].email = "nguoi-duoc-de-cu@example.vn"
    request = DataRequest(email="nguoi-duoc-de-cu@example.vn", kind="access", deadline=clock.now() + timedelta(days=15))
    db.session.add(request)
    db.session.commit()
    return {"subject_token": services.token_for("nguoi-duoc-de-cu@example.vn"), "request_id": request.id}
