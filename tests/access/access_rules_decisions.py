"""Access rules of the signed provincial decision: the secretariat uploads and downloads it; the public download
exists once the round is published (the sample is a published round's file, so every role reaches it)."""
EVERYONE = {"anonymous", "admin", "secretariat", "nominator", "council"}
SECRETARIAT = {"secretariat"}

RULES = {
    "decisions.session_page": SECRETARIAT,
    "decisions.download": SECRETARIAT,
    "publication.signed_decision": EVERYONE,
}
NOT_OWNED = {"decision_id"}


def params(world) -> dict:
    """A file for the council's sample session (access_rules_council, built before this module's params), and a
    published round whose recorded decision has one."""
    from datetime import date

    from honours.core import clock
    from honours.core.db import db
    from honours.council.models import CONFIRMED, CouncilSession
    from tests.factories import make_council_session, make_round, make_signed_decision

    secretary = world["users"]["secretariat"]
    make_signed_decision(db.session.get(CouncilSession, world["params"]["session_id"]), secretary)
    round_ = make_round(name="Đợt đã công bố có quyết định ký số", published_at=clock.now())
    session = make_council_session(round_, secretary, status=CONFIRMED, confirmed_at=clock.now(),
                                   decision_number="5/QĐ-UBND", decision_date=date(2026, 1, 5),
                                   decision_signer="Chủ tịch UBND tỉnh")
    return {"decision_id": make_signed_decision(session, secretary).id}
