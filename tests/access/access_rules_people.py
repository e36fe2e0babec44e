"""Access rules of the intellectuals database: the secretariat only (personal data; not even the admin)."""
from datetime import date

from tests.factories import make_change_proposal, make_person

SECRETARIAT = {"secretariat"}

RULES = {
    "people.index": SECRETARIAT,
    "people.show": SECRETARIAT,
    "people.edit": SECRETARIAT,
    "people.duplicates": SECRETARIAT,
    "people.merge": SECRETARIAT,
    "people.start_export": SECRETARIAT,
    "people.proposals_page": SECRETARIAT,
    "people.decide_proposal": SECRETARIAT,
    "people.decide_person_proposals": SECRETARIAT,
}


def params(world) -> dict:
    """Two live records of one person (a duplicate pair), so the merge screen has something to compare, and a
    change the world's dossier proposes to the first."""
    persons = [make_person(name, date_of_birth=date(1980, 3, 8), gender="female")
               for name in ("Lê Thị Trùng", "Le Thi Trung")]
    proposal = make_change_proposal(persons[0], world["dossier"], "email", "moi@example.vn")
    return {"person_id": persons[0].id, "other_id": persons[1].id, "proposal_id": proposal.id}
