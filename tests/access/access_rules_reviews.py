"""Access rules of the review stage: the secretariat runs the council, assignments and results; council
members score the dossiers assigned to them (the matrix's council user is made a member and assigned)."""
from decimal import Decimal

SECRETARIAT = {"secretariat"}
COUNCIL = {"council"}

RULES = {
    "reviews.council": SECRETARIAT,
    "reviews.edit_member": SECRETARIAT,
    "reviews.remove_member": SECRETARIAT,
    "reviews.assignments": SECRETARIAT,
    "reviews.current_assignments": SECRETARIAT,
    "reviews.assign": SECRETARIAT,
    "reviews.auto_assign": SECRETARIAT,
    "reviews.send_reminders": SECRETARIAT,
    "reviews.unassign": SECRETARIAT,
    "reviews.results": SECRETARIAT,
    "reviews.export_results": SECRETARIAT,
    "reviews.reopen_sheet": SECRETARIAT,
    "scoring.index": COUNCIL,
    "scoring.sheet": COUNCIL,
    "scoring.declare_conflict": COUNCIL,
    "scoring.declare_expertise": COUNCIL,
}


def params(world) -> dict:
    """A scored dossier (not world["dossier"], which must stay unassigned: council members may not see it)
    assigned to the matrix's council user, whose submitted sheet the secretariat can reopen."""
    from honours.core.db import db
    from honours.nominations import states
    from honours.reviews.models import ReviewAssignment
    from tests.factories import make_council_member, make_dossier, make_score_sheet

    round_, reviewer = world["round"], world["users"]["council"]
    dossier = make_dossier(round_, world["organisation"], world["users"]["nominator"], state=states.SCORED,
                           full_name="Hồ sơ đang chấm")
    member = make_council_member(round_, reviewer)
    assignment = ReviewAssignment(dossier_id=dossier.id, reviewer_id=reviewer.id,
                                  assigned_by_id=world["users"]["secretariat"].id)
    db.session.add(assignment)
    db.session.commit()
    sheet = make_score_sheet(dossier, reviewer, Decimal(7))
    return {"council_member_id": member.id, "assignment_id": assignment.id, "sheet_id": sheet.id,
            "review_dossier_id": dossier.id}
