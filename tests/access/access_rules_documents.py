"""Access rules of the official documents of a council session: the secretariat and the chair of the round's
council (who signs them). The session is the council rules' closed session (access_rules_council.params), whose
chair is the matrix's council user; `kind` names one of the documents."""
READERS = {"secretariat", "council"}

RULES = {
    "documents.index": READERS,
    "documents.pdf": READERS,
    "documents.docx": READERS,
    "documents.notice_pdf": READERS,
    "documents.notice_docx": READERS,
    "documents.minutes": READERS,
}


def params(world) -> dict:
    return {"kind": "bien-ban-kiem-phieu"}
