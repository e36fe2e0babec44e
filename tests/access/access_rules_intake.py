"""Access rules of the staff-list intake: an organisation's accounts load their own staff, the secretariat any
list; an error report is readable only by the account whose upload produced it (the matrix's nominator and
secretary each own one under the same token, so another organisation's nominator gets 404)."""
BOTH = {"nominator", "secretariat"}

RULES = {
    "intake.upload": BOTH,
    "intake.template": BOTH,
    "intake.report": BOTH,
}


def params(world) -> dict:
    """Runs after access_rules_imports (file order): the world's report token, kept for this kind of report."""
    from honours.imports import reports, workbook
    from honours.imports.workbook import Problem

    token = world["params"]["report_token"]
    problems = [Problem(2, "Họ và tên", "Vui lòng nhập họ và tên.")]
    for role in ("nominator", "secretariat"):
        user = world["users"][role]
        with open(reports._path("people", user.id, token), "wb") as stored:
            stored.write(workbook.report(problems, with_sheet=False))
    return {}
