"""Access rules of a dossier's submissions (read-only copies, their comparison, the printed dossier): whoever may
see the dossier except a council member (a reviewer sees no private data); the world's dossier gets two."""
CASE_HANDLERS = {"nominator", "secretariat"}

RULES = {
    "submissions.show": CASE_HANDLERS,
    "submissions.changes": CASE_HANDLERS,
    "submissions.print_latest": CASE_HANDLERS,
    "submissions.print_submission": CASE_HANDLERS,
}
NOT_OWNED = {"number"}  # a submission's number within the dossier named by dossier_id (owned)


def params(world) -> dict:
    from tests.factories import make_submission

    dossier = world["dossier"]
    make_submission(dossier, 1, workplace="Trường Đại học cũ")
    make_submission(dossier, 2)
    return {"number": 2}
