"""Access rules of the Excel imports and invitations: nominators import dossiers, the secretariat imports
accounts; an error report is readable only by the user whose upload produced it (the matrix's nominator and
secretary each own one, under the same token); anyone holding an invitation link may set that account's
password; managers resend invitations."""
EVERYONE = {"anonymous", "admin", "secretariat", "council", "nominator"}
NOMINATOR = {"nominator"}
SECRETARIAT = {"secretariat"}

RULES = {
    "imports.dossiers": NOMINATOR,
    "imports.dossier_template": NOMINATOR,
    "imports.dossier_report": NOMINATOR,
    "imports.accounts": SECRETARIAT,
    "imports.account_template": SECRETARIAT,
    "imports.account_report": SECRETARIAT,
    "invitations.set_password": EVERYONE,
    "invitations.resend_invitation": {"admin", "secretariat"},
}
# An error report belongs to the nominator whose upload produced it; an invitation link works for anyone.
OWNED = {"report_token"}
NOT_OWNED = {"invitation_token"}


def params(world) -> dict:
    import shutil

    from honours.auth import invitations
    from honours.core import roles
    from honours.core.db import db
    from honours.imports import reports
    from honours.imports.workbook import Problem
    from tests.factories import make_user

    problems = [Problem(2, "Họ và tên", "Vui lòng nhập họ và tên người được đề cử.")]
    token = reports.save("dossiers", world["users"]["nominator"], problems, with_sheet=False)
    shutil.copy(reports.find("dossiers", world["users"]["nominator"], token),
                reports._path("accounts", world["users"]["secretariat"].id, token))
    invited = make_user(roles.COUNCIL, email="moi@example.vn")
    invited.password_hash = invitations.unusable_password()
    db.session.commit()
    return {"report_token": token, "invitation_token": invitations.token_for(invited)}
