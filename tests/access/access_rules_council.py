"""Access rules of the council stage: the secretariat runs the session and records the decision; council members
of the round vote; the chair confirms and, with the secretariat, reads the minutes (access_rules_documents.py). The matrix's council user is
made chair and a present member of a closed session in a round of its own (not world["round"], whose council the
review rules fill)."""
SECRETARIAT = {"secretariat"}
COUNCIL = {"council"}

RULES = {
    "council.round_page": SECRETARIAT,
    "council.open_session": SECRETARIAT,
    "council.attendance": SECRETARIAT,
    "council.close": SECRETARIAT,
    "council.decision": SECRETARIAT,
    "council.counting_board": SECRETARIAT,
    "council.index": COUNCIL,
    "council.ballot": COUNCIL,
    "council.confirm": COUNCIL,
}


def params(world) -> dict:
    from honours.core import clock
    from honours.council.models import CLOSED, Attendance
    from tests.factories import make_council_member, make_council_session, make_round

    chair = world["users"]["council"]
    round_ = make_round(name="Đợt xét có phiên họp hội đồng")
    chair.is_chair = True
    make_council_member(round_, chair)
    session = make_council_session(round_, world["users"]["secretariat"], status=CLOSED, members_total=1,
                                   closed_at=clock.now(), attendees=[Attendance(user_id=chair.id)])
    return {"session_id": session.id}
