"""Accounts from Excel (secretariat): nominating organisations with their nominator account, and council members
(put on the council of the round chosen on the page). All rows are checked first; then everything is created in
one transaction, or nothing is. Every new account gets an invitation email with a set-password link."""
import re

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from honours.auth import invitations
from honours.auth.models import User
from honours.auth.services import normalise_email
from honours.core import audit, roles
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.reference import FIELDS, ORGANISATION_TYPES
from honours.core.roles import ensure_secretariat
from honours.core.text import fold
from honours.core.transactions import operation
from honours.organisations.models import Organisation
from honours.reviews.models import CouncilMember
from honours.reviews.services import record_member_added
from honours.rounds.models import Round

from . import workbook as wb
from .outcome import Outcome, ignored_sheets_note
from .workbook import CellError, Column, Problem

ACCOUNTS_IMPORTED = audit.Reason("imports.accounts", audit.N_(
    "Tạo %(organisations)s đơn vị đề cử và %(members)s thành viên hội đồng từ tệp Excel %(file)s: %(emails)s."))

ORGANISATION_SHEET = "Đơn vị đề cử"
ORGANISATION_COLUMNS = (
    Column("name", "Tên đơn vị", 40),
    Column("org_type", "Loại đơn vị", 18, "Loại đơn vị"),
    Column("contact_person", "Người liên hệ", 26),
    Column("email", "Email", 30),
    Column("phone", "Điện thoại", 14),
    Column("nomination_limit", "Số hồ sơ tối đa mỗi đợt", 14),
)
COUNCIL_SHEET = "Thành viên hội đồng"
COUNCIL_COLUMNS = (
    Column("full_name", "Họ và tên", 28),
    Column("email", "Email", 30),
    Column("affiliation", "Cơ quan công tác", 40),
    Column("expertise", "Lĩnh vực chuyên môn", 40, "Lĩnh vực"),
)
LIST_SEPARATORS = re.compile(r"[;\n]+")
MAX_LIMIT = 1000  # as the organisation form


def template(round_: Round | None) -> bytes:
    fields = [f.name for f in round_.fields] if round_ else list(FIELDS)
    lists = {"Loại đơn vị": [wb.vietnamese(label) for label in ORGANISATION_TYPES.values()], "Lĩnh vực": fields}
    return wb.template([(ORGANISATION_SHEET, ORGANISATION_COLUMNS, ("phone",)),
                        (COUNCIL_SHEET, COUNCIL_COLUMNS, ())], lists,
                       title=_("Mẫu nhập tài khoản: %(round)s", round=round_.name) if round_ else
                       _("Mẫu nhập tài khoản"))


@operation
def import_accounts(actor, round_: Round | None, data: bytes, filename: str = "") -> Outcome:
    ensure_secretariat(actor)
    outcome = Outcome()
    config = current_app.config
    book = wb.load(data, [ORGANISATION_SHEET, COUNCIL_SHEET], wb.Limits.of(config))
    sheets = _find_sheets(book)
    outcome.notes = ignored_sheets_note(wb.other_sheets(book, [sheet.title for sheet in sheets.values()]))
    tables = {kind: wb.read_table(sheet, _columns(kind), config["IMPORT_MAX_ROWS"], outcome.problems)
              for kind, sheet in sheets.items()}
    if any(table is None for table in tables.values()):
        return outcome
    if sum(len(table.rows) for table in tables.values()) > config["IMPORT_MAX_ROWS"]:
        raise wb.FileRefused(_("Tệp có quá nhiều dòng: tối đa %(max)s dòng dữ liệu mỗi lần nhập.",
                               max=config["IMPORT_MAX_ROWS"]))
    if not any(table.rows for table in tables.values()):
        outcome.problems.append(Problem(None, "", _("Tệp không có dòng dữ liệu nào.")))
        return outcome
    checker = _Checker(round_, outcome.problems)
    organisations = [checker.organisation(row, tables["organisation"].sheet)
                     for row in tables["organisation"].rows] if "organisation" in tables else []
    members = []
    if "council" in tables and tables["council"].rows:
        if round_ is None:
            outcome.problems.append(Problem(None, "", _(
                "Vui lòng chọn đợt xét để đưa các thành viên hội đồng trong tệp vào hội đồng của đợt.")))
        members = [checker.member(row, tables["council"].sheet) for row in tables["council"].rows]
    if outcome.problems:
        return outcome
    try:
        _create(actor, round_, organisations, members, filename)
    except IntegrityError:  # another import or form created the same email or name meanwhile
        db.session.rollback()
        raise RuleViolation(_("Dữ liệu vừa được thay đổi ở nơi khác (trùng email hoặc tên đơn vị). "
                              "Vui lòng tải lên lại để kiểm tra.")) from None
    outcome.created = {"organisations": len(organisations), "council": len(members)}
    return outcome


def _columns(kind: str) -> tuple[Column, ...]:
    return ORGANISATION_COLUMNS if kind == "organisation" else COUNCIL_COLUMNS


def _find_sheets(book) -> dict:
    """The sheets by their names; a file with neither is read from its first sheet, recognised by its header."""
    found = {kind: sheet for kind, sheet in (("organisation", wb.sheet_named(book, ORGANISATION_SHEET)),
                                             ("council", wb.sheet_named(book, COUNCIL_SHEET))) if sheet is not None}
    if found:
        return found
    first = book.sheets[0]  # nothing named so: the first worksheet is the one read
    headers = {wb.header_key(text) for text in first.header}
    if wb.header_key("Tên đơn vị") in headers:
        return {"organisation": first}
    if wb.header_key("Họ và tên") in headers:
        return {"council": first}
    raise wb.FileRefused(_("Không tìm thấy trang tính \"%(first)s\" hoặc \"%(second)s\" trong tệp. Vui lòng dùng "
                           "tệp mẫu tải từ trang này.", first=ORGANISATION_SHEET, second=COUNCIL_SHEET))


class _Checker:
    """Reads each row, reporting unreadable cells and clashes (emails and organisation names already used, in
    the database or earlier in the file)."""

    def __init__(self, round_: Round | None, problems: list[Problem]):
        self.round, self.problems = round_, problems
        self.types = wb.labels(ORGANISATION_TYPES)
        self.fields = {fold(f.name): f for f in round_.fields} if round_ else {}
        self.emails_taken = set(db.session.scalars(select(User.email)))
        self.emails_in_file: dict[str, tuple[str, int]] = {}
        self.organisation_names = {fold(name) for name in db.session.scalars(select(Organisation.name))}
        self.names_in_file: dict[str, int] = {}

    def organisation(self, row: wb.Row, sheet: str) -> dict | None:
        values, good = self._read(row, sheet, ORGANISATION_COLUMNS, {
            "name": lambda v: wb.text(v, 255, required=True),
            "org_type": lambda v: wb.choice(v, self.types, True, _("Loại đơn vị \"%(value)s\" không hợp lệ.")),
            "contact_person": lambda v: wb.text(v, 200, required=True),
            "email": lambda v: self._email(v, row.number, sheet),
            "phone": lambda v: wb.text(v, 30),
            "nomination_limit": lambda v: wb.whole_number(v, 0, MAX_LIMIT),
        })
        if "name" in values:
            key = fold(values["name"])
            if key in self.names_in_file:
                self._report(row, sheet, ORGANISATION_COLUMNS, "name", _(
                    "Trùng với dòng %(row)s trong tệp.", row=self.names_in_file[key]))
                good = False
            elif key in self.organisation_names:
                self._report(row, sheet, ORGANISATION_COLUMNS, "name", _(
                    "Đã có đơn vị mang tên \"%(name)s\".", name=values["name"]))
                good = False
            else:
                self.names_in_file[key] = row.number
        return values if good else None

    def member(self, row: wb.Row, sheet: str) -> dict | None:
        values, good = self._read(row, sheet, COUNCIL_COLUMNS, {
            "full_name": lambda v: wb.text(v, 200, required=True),
            "email": lambda v: self._email(v, row.number, sheet),
            "affiliation": lambda v: wb.text(v, 255),
            "expertise": self._expertise,
        })
        return values if good else None

    def _read(self, row: wb.Row, sheet: str, columns, parsers: dict) -> tuple[dict, bool]:
        values, good = {}, True
        for key, parse in parsers.items():
            if key in row.refused:
                good = False
                continue
            try:
                values[key] = parse(row.values[key])
            except CellError as error:
                self._report(row, sheet, columns, key, str(error))
                good = False
        return values, good

    def _email(self, value, number: int, sheet: str) -> str:
        email = normalise_email(wb.email(value, required=True))
        if email in self.emails_taken:
            raise CellError(_("Email %(email)s đã được dùng cho tài khoản khác.", email=email))
        if email in self.emails_in_file:
            where = self.emails_in_file[email]
            raise CellError(_("Trùng email với dòng %(row)s (trang tính \"%(sheet)s\").", row=where[1], sheet=where[0]))
        self.emails_in_file[email] = (sheet, number)
        return email

    def _expertise(self, value) -> list:
        names = [part.strip() for part in LIST_SEPARATORS.split(wb.long_text(value, 2000)) if part.strip()]
        if self.round is None:  # the file-level problem asks for a round already
            return []
        chosen = []
        for name in names:
            field = self.fields.get(fold(name))
            if field is None:
                raise CellError(_("Lĩnh vực \"%(value)s\" không thuộc đợt xét đã chọn.", value=name))
            if field not in chosen:
                chosen.append(field)
        return chosen

    def _report(self, row: wb.Row, sheet: str, columns, key: str, message: str) -> None:
        header = next(column.header for column in columns if column.key == key)
        self.problems.append(Problem(row.number, header, message, sheet))


def _create(actor, round_: Round | None, organisation_rows: list[dict], member_rows: list[dict], filename: str) -> None:
    users, members = [], []
    for values in organisation_rows:
        organisation = Organisation(name=values["name"], org_type=values["org_type"],
                                    contact_person=values["contact_person"], email=values["email"],
                                    phone=values["phone"], nomination_limit=values["nomination_limit"])
        users.append(User(email=values["email"], full_name=values["contact_person"], role=roles.NOMINATOR,
                          organisation=organisation, password_hash=invitations.unusable_password()))
    db.session.add_all(users)
    db.session.flush()  # ids for the invitation links and the members' affiliations
    existing = {fold(name): organisation_id for organisation_id, name in
                db.session.execute(select(Organisation.id, Organisation.name)).all()}
    for values in member_rows:
        user = User(email=values["email"], full_name=values["full_name"], role=roles.COUNCIL,
                    password_hash=invitations.unusable_password())
        users.append(user)
        db.session.add(user)
        members.append(CouncilMember(
            round=round_, user=user, affiliation=values["affiliation"], expertise=values["expertise"],
            affiliation_organisation_id=existing.get(fold(values["affiliation"])) if values["affiliation"] else None))
        db.session.add(members[-1])
    db.session.flush()
    for member in members:
        record_member_added(actor, round_, member)
    for user in users:
        invitations.send_invitation(user)
    audit.record(actor, "account_import", users[0].id, "import_accounts", "", "", ACCOUNTS_IMPORTED(
        organisations=len(organisation_rows), members=len(member_rows), file=filename or "",
        emails=", ".join(user.email for user in users)))
    db.session.flush()
