"""Nomination dossiers from Excel: every row is checked with the nomination rules of honours.nominations, then
all rows become drafts of the nominator's organisation in one transaction, or none does."""
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, insert, select

from honours.core import audit, clock, roles
from honours.core.db import db, lock_row
from honours.core.errors import RuleViolation
from honours.core.reference import ACADEMIC_TITLES, DEGREES, ETHNICITIES, GENDERS
from honours.core.text import fold
from honours.core.transactions import operation
from honours.nominations import services as nominations
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.organisations.models import Organisation
from honours.rounds.models import Round

from . import workbook as wb
from .outcome import Outcome, ignored_sheets_note
from .workbook import CellError, Column, Problem

DRAFTS_IMPORTED = audit.Reason("imports.dossiers", audit.N_("Nhập %(count)s hồ sơ nháp từ tệp Excel %(file)s."))

SHEET = "Hồ sơ đề cử"
COLUMNS = (
    Column("full_name", "Họ và tên", 28),
    Column("gender", "Giới tính", 10, "Giới tính"),
    Column("date_of_birth", "Ngày sinh (dd/mm/yyyy)", 14),
    Column("ethnicity", "Dân tộc", 14, "Dân tộc"),
    Column("hometown", "Quê quán", 24),
    Column("workplace", "Nơi công tác", 32),
    Column("position", "Chức vụ", 20),
    Column("academic_title", "Học hàm", 16, "Học hàm"),
    Column("degree", "Học vị", 18, "Học vị"),
    Column("field", "Lĩnh vực", 28, "Lĩnh vực"),
    Column("email", "Email", 26),
    Column("phone", "Điện thoại", 14),
    Column("is_overseas", "Người Việt Nam ở nước ngoài (Có/Không)", 16, "Có/Không"),
    Column("merits_summary", "Tóm tắt thành tích", 60),
)
HEADERS = {column.key: column.header for column in COLUMNS}
TEXT_KEYS = ("date_of_birth", "phone")  # kept as typed: 05/03/1970 is not a US date, 0912... keeps its 0
# What a cell that could not be read is replaced with, so the shared rules check the rest of the row.
STAND_INS = {"gender": "male", "date_of_birth": date(1970, 1, 1), "ethnicity": "Kinh", "academic_title": "",
             "degree": "TS", "is_overseas": False}
MAX_SUMMARY = 20_000  # as the dossier form
YES, NO = "Có", "Không"


def template(round_: Round) -> bytes:
    """The workbook a nominator fills in for this round, with the round's fields among the allowed values."""
    lists = {
        "Lĩnh vực": [f.name for f in round_.fields],
        "Giới tính": [wb.vietnamese(label) for label in GENDERS.values()],
        "Dân tộc": list(ETHNICITIES),
        "Học hàm": [wb.vietnamese(label) for key, label in ACADEMIC_TITLES.items() if key],
        "Học vị": [wb.vietnamese(label) for label in DEGREES.values()],
        "Có/Không": [YES, NO],
    }
    return wb.template([(SHEET, COLUMNS, TEXT_KEYS)], lists,
                       title=_("Mẫu nhập hồ sơ đề cử: %(round)s", round=round_.name))


def open_round_for(user, round_id: int) -> Round:
    """The round a nominator may import into now; RuleViolation otherwise."""
    if user.role != roles.NOMINATOR or user.organisation_id is None:
        raise RuleViolation(_("Chỉ tài khoản của đơn vị đề cử mới được lập hồ sơ."))
    round_ = next((r for r in nominations.open_rounds() if r.id == round_id), None)
    if round_ is None:
        raise RuleViolation(_("Đợt xét này hiện không nhận hồ sơ."))
    return round_


@operation
def import_dossiers(user, round_id: int, data: bytes, filename: str = "", progress=None) -> Outcome:
    """Create one draft per row, all or nothing. RuleViolation when the import itself is refused (role, round
    closed, not an Excel file); otherwise an Outcome listing every problem, or what was created. `progress(n,
    total)` hears of each row checked (a background import's job, honours/imports/background.py)."""
    round_ = open_round_for(user, round_id)
    outcome = Outcome()
    book = wb.load(data, [SHEET], wb.Limits.of(current_app.config))
    sheet = wb.sheet_named(book, SHEET) or book.sheets[0]
    outcome.notes = ignored_sheets_note(wb.other_sheets(book, [sheet.title]))
    table = wb.read_table(sheet, COLUMNS, current_app.config["IMPORT_MAX_ROWS"], outcome.problems)
    if table is None:
        return outcome
    if not table.rows:
        outcome.problems.append(Problem(None, "", _("Tệp không có dòng dữ liệu nào."), table.sheet))
        return outcome
    reader = _RowReader(round_, table.sheet, outcome.problems)
    parsed = []
    for checked, row in enumerate(table.rows, start=1):
        parsed.append((row.number, reader.read(row)))
        if progress is not None:
            progress(checked, len(table.rows))
    # Imports of one organisation run one at a time, so the limit and duplicate checks stay true until commit.
    organisation = lock_row(Organisation, user.organisation_id, "nomination_limit")
    _check_people(round_, organisation, parsed, table.sheet, outcome.problems)
    _check_limit(round_, organisation, len(parsed), outcome.problems)
    if outcome.problems:
        db.session.rollback()
        return outcome
    _create(user, round_, [data for _number, data in parsed], filename)
    outcome.created = {"dossiers": len(parsed)}
    return outcome


class _RowReader:
    """Turns a row into DossierData, reporting each unreadable cell and each broken nomination rule by column."""

    def __init__(self, round_: Round, sheet: str, problems: list[Problem]):
        self.round, self.sheet, self.problems = round_, sheet, problems
        self.fields = {fold(f.name): f.id for f in round_.fields}
        self.genders, self.titles, self.degrees = wb.labels(GENDERS), wb.labels(ACADEMIC_TITLES), wb.labels(DEGREES)
        self.ethnicities = {fold(name): name for name in ETHNICITIES}
        self.parsers = self._parsers()

    def read(self, row: wb.Row) -> nominations.DossierData | None:
        values, bad = {}, set(row.refused)
        for key, parse in self.parsers.items():
            if key in bad:
                continue
            try:
                values[key] = parse(row.values[key])
            except CellError as error:
                self._report(row.number, key, str(error))
                bad.add(key)
        values.update({key: STAND_INS.get(key, "") for key in bad if key != "field"})
        data = nominations.DossierData(field_id=values.pop("field", None), **values)
        for name, message in nominations.nominee_problems(self.round, data):
            key = "field" if name == "field_id" else name
            if key not in bad and key in HEADERS:
                self._report(row.number, key, message)
                bad.add(key)
        return None if bad else data

    def _parsers(self) -> dict:
        unknown = _("\"%(value)s\" không có trong danh mục.")
        unknown_ethnicity = _("Dân tộc \"%(value)s\" không có trong danh mục 54 dân tộc.")
        unknown_field = _("Lĩnh vực \"%(value)s\" không thuộc đợt xét này.")
        length = {name: Dossier.__table__.c[name].type.length
                  for name in ("full_name", "hometown", "workplace", "position", "phone")}
        return {
            "full_name": lambda v: wb.text(v, length["full_name"]),
            "gender": lambda v: wb.choice(v, self.genders, True, unknown),
            "date_of_birth": wb.day,
            "ethnicity": lambda v: wb.choice(v, self.ethnicities, True, unknown_ethnicity),
            "hometown": lambda v: wb.text(v, length["hometown"]),
            "workplace": lambda v: wb.text(v, length["workplace"]),
            "position": lambda v: wb.text(v, length["position"]),
            "academic_title": lambda v: wb.choice(v, self.titles, False, unknown),
            "degree": lambda v: wb.choice(v, self.degrees, True, unknown),
            "field": lambda v: wb.choice(v, self.fields, True, unknown_field),
            "email": lambda v: wb.email(v, required=False),
            "phone": lambda v: wb.text(v, length["phone"]),
            "is_overseas": wb.yes_no,
            "merits_summary": lambda v: wb.long_text(v, MAX_SUMMARY),
        }

    def _report(self, number: int, key: str, message: str) -> None:
        self.problems.append(Problem(number, HEADERS[key], message, self.sheet))


def _check_people(round_: Round, organisation: Organisation, parsed, sheet: str, problems: list[Problem]) -> None:
    """The same person twice in the file, or already among this organisation's dossiers of the round. Whether
    another organisation nominated them is not said here (a file of guesses would read other organisations'
    nominations): the drafts' submission gives the app's throttled notice, and the secretariat checks."""
    own = set(db.session.execute(
        select(Dossier.name_folded, Dossier.date_of_birth)
        .where(Dossier.round_id == round_.id, Dossier.organisation_id == organisation.id)
    ).all())
    first_seen: dict[tuple, int] = {}
    column = HEADERS["full_name"]
    for number, data in parsed:
        if data is None:
            continue
        person = (fold(data.full_name), data.date_of_birth)
        if person in first_seen:
            problems.append(Problem(number, column, _(
                "Trùng với dòng %(row)s trong tệp (cùng họ tên và ngày sinh).", row=first_seen[person]), sheet))
            continue
        first_seen[person] = number
        if person in own:
            problems.append(Problem(number, column, _(
                "Đơn vị đã có hồ sơ của người này trong đợt xét (cùng họ tên và ngày sinh)."), sheet))


def _check_limit(round_: Round, organisation: Organisation, adding: int, problems: list[Problem]) -> None:
    """The organisation's nomination limit counts the dossiers that use it (a withdrawn one gave its place back),
    its drafts (each is meant to be submitted) and the file's rows: every imported draft can then be submitted."""
    limit = organisation.nomination_limit
    if limit is None:
        return
    drafts = db.session.scalar(select(func.count(Dossier.id)).where(
        Dossier.round_id == round_.id, Dossier.organisation_id == organisation.id, Dossier.state == states.DRAFT))
    existing = nominations.count_counted_towards_limit(organisation.id, round_.id) + drafts
    if existing + adding > limit:
        problems.append(Problem(None, "", _(
            "Đơn vị được đề cử tối đa %(limit)s hồ sơ trong đợt này: đã có %(existing)s hồ sơ, tệp thêm %(adding)s.",
            limit=limit, existing=existing, adding=adding)))


def _create(user, round_: Round, rows: list, filename: str) -> None:
    """One multi-row INSERT (SQLAlchemy's bulk path, no per-object bookkeeping): 10,000 drafts in well under a
    second. Imported rows have no achievements or attachments yet, so there is nothing else to insert."""
    now = clock.now()
    fixed = {"round_id": round_.id, "organisation_id": user.organisation_id, "created_by_id": user.id,
             "state": states.DRAFT, "created_at": now, "updated_at": now,
             "nominator_updated_at": now}
    db.session.execute(insert(Dossier), [{**nominations.nominee_values(data), **fixed} for data in rows])
    audit.record(user, "round", round_.id, "import_dossiers", "", states.DRAFT,
                 DRAFTS_IMPORTED(count=len(rows), file=filename or ""))
    db.session.flush()
