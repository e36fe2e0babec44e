"""Staff lists into the intellectuals database: every row is checked, matched to an existing person record (the
citizen identification number when given, else exactly the same name and birth date, as honours.people.linking
links a nomination), then the whole file is written in one transaction, or nothing is.

A row nobody matches becomes a new record. A row that matches an existing record never writes to it: what differs
becomes a change proposal (PersonChangeProposal, source "person_intake") the secretariat accepts or rejects on its
proposals page, like what a nomination brings. Lookups go by batches of keys and writes are multi-row INSERTs, so
a 50,000-row file costs about a hundred statements, not one per row.
"""
from dataclasses import dataclass, replace
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import insert, or_, select
from sqlalchemy.orm import joinedload

from honours.core import audit, clock, roles
from honours.core.db import db, lock_row
from honours.core.errors import RuleViolation
from honours.core.profile import ProfileData, profile_problems
from honours.core.reference import ACADEMIC_TITLES, DEGREES, ETHNICITIES, FIELDS, GENDERS
from honours.core.text import fold, name_sort_key
from honours.core.transactions import operation
from honours.imports import workbook as wb
from honours.imports.outcome import Outcome, ignored_sheets_note
from honours.imports.workbook import CellError, Column, Problem
from honours.organisations.models import Organisation
from honours.people.linking import as_text
from honours.people.models import Person, PersonChangeProposal
from honours.people.workflows import PENDING

from .models import PersonIntake

INTAKE_DONE = audit.Reason("intake.people", audit.N_(
    "Nhập danh sách %(rows)s người từ tệp Excel %(file)s: %(created)s hồ sơ mới, %(matched)s người đã có "
    "(%(proposed)s đề xuất thay đổi chờ duyệt)."))
SOURCE = "person_intake"  # PersonChangeProposal.source_type of what a list proposes

SHEET = "Danh sách trí thức"
COLUMNS = (
    Column("full_name", "Họ và tên", 28),
    Column("gender", "Giới tính", 10, "Giới tính"),
    Column("date_of_birth", "Ngày sinh (dd/mm/yyyy)", 14),
    Column("citizen_id", "Số định danh cá nhân (12 chữ số, nếu có)", 18),
    Column("ethnicity", "Dân tộc", 14, "Dân tộc"),
    Column("hometown", "Quê quán", 24),
    Column("workplace", "Nơi công tác", 32),
    Column("position", "Chức vụ", 20),
    Column("academic_title", "Học hàm", 16, "Học hàm"),
    Column("degree", "Học vị", 18, "Học vị"),
    Column("field", "Lĩnh vực", 28, "Lĩnh vực"),
    Column("expertise", "Chuyên môn, lĩnh vực sâu", 40),
    Column("email", "Email", 26),
    Column("phone", "Điện thoại", 14),
    Column("is_overseas", "Người Việt Nam ở nước ngoài (Có/Không)", 16, "Có/Không"),
)
HEADERS = {column.key: column.header for column in COLUMNS}
TEXT_KEYS = ("date_of_birth", "citizen_id", "phone")  # kept as typed (a leading 0, dd/mm/yyyy)
YES, NO = "Có", "Không"
# What a matched row may propose for the record, in the order the proposals page lists them. The name, gender and
# birth date identify the person; consent to the national database is the person's own, never a list's.
PROPOSED = ("citizen_id", "ethnicity", "hometown", "workplace", "position", "academic_title", "degree", "email",
            "phone", "is_overseas", "organisation_id", "field", "expertise")
MAX_EXPERTISE = 5_000  # as the record's edit form
BATCH = 500  # keys per IN (...) lookup, rows per INSERT
PROGRESS_EVERY = 1_000


@dataclass
class IntakeRow:
    number: int
    values: dict
    person_id: int | None = None  # the existing record it matched


@dataclass
class IntakeOutcome(Outcome):
    intake: PersonIntake | None = None


def limits(config) -> wb.Limits:
    """The imports' protections (child process, zip directory, shared strings, row limit) with the sizes of a
    staff list."""
    return replace(wb.Limits.of(config), max_rows=config["INTAKE_MAX_ROWS"],
                   max_unzipped=config["INTAKE_MAX_UNZIPPED_BYTES"], max_part=config["INTAKE_MAX_PART_BYTES"],
                   max_shared_strings=config["INTAKE_MAX_SHARED_STRINGS"],
                   parse_seconds=config["INTAKE_PARSE_SECONDS"],
                   parse_cpu_seconds=min(config["INTAKE_PARSE_CPU_SECONDS"], config["INTAKE_PARSE_SECONDS"]),
                   parse_memory=config["INTAKE_PARSE_MEMORY_BYTES"])


def template() -> bytes:
    lists = {
        "Lĩnh vực": list(FIELDS),
        "Giới tính": [wb.vietnamese(label) for label in GENDERS.values()],
        "Dân tộc": list(ETHNICITIES),
        "Học hàm": [wb.vietnamese(label) for key, label in ACADEMIC_TITLES.items() if key],
        "Học vị": [wb.vietnamese(label) for label in DEGREES.values()],
        "Có/Không": [YES, NO],
    }
    return wb.template([(SHEET, COLUMNS, TEXT_KEYS)], lists, title=_("Mẫu danh sách trí thức"))


def may_intake(user) -> bool:
    return user.role == roles.SECRETARIAT or (user.role == roles.NOMINATOR and user.organisation_id is not None)


def _organisation_of(actor, organisation_id: int | None) -> int | None:
    """An organisation loads its own staff; the secretariat names the organisation of the list, or none."""
    if not may_intake(actor):
        raise RuleViolation(_("Chỉ đơn vị hoặc Văn phòng Hội đồng mới được nhập danh sách trí thức."))
    if actor.role == roles.NOMINATOR:
        return actor.organisation_id
    if organisation_id and db.session.get(Organisation, organisation_id) is None:
        raise RuleViolation(_("Không tìm thấy đơn vị."))
    return organisation_id or None


@operation
def intake(actor, workbook_file, progress=None, *, filename: str = "",
           organisation_id: int | None = None) -> IntakeOutcome:
    """Load a staff list (bytes or a binary file object), all rows or none. RuleViolation when the upload itself
    is refused (who, not an Excel file, too big); otherwise an outcome listing every problem by row and column,
    or what was written. `progress(n, total)` is called as rows are checked and written."""
    organisation_id = _organisation_of(actor, organisation_id)
    data = workbook_file if isinstance(workbook_file, bytes) else workbook_file.read()
    report = progress or (lambda _n, _total: None)
    outcome = IntakeOutcome()
    book = wb.load(data, [SHEET], limits(current_app.config))
    sheet = wb.sheet_named(book, SHEET) or book.sheets[0]
    outcome.notes = ignored_sheets_note(wb.other_sheets(book, [sheet.title]))
    table = wb.read_table(sheet, COLUMNS, current_app.config["INTAKE_MAX_ROWS"], outcome.problems)
    if table is None:
        return outcome
    if not table.rows:
        outcome.problems.append(Problem(None, "", _("Tệp không có dòng dữ liệu nào."), table.sheet))
        return outcome
    total = len(table.rows)
    reader = _RowReader(table.sheet, outcome.problems)
    report(0, total)  # the size, known before anything is written (a background job shows it at once)
    rows = []
    for index, row in enumerate(table.rows, start=1):
        values = reader.read(row)
        if values is not None:
            rows.append(IntakeRow(row.number, values))
        if index % PROGRESS_EVERY == 0:
            report(index, total)
    if organisation_id and not outcome.problems:
        # One list of an organisation at a time: a second upload of the same staff waits, then matches the
        # records the first created instead of creating them again.
        lock_row(Organisation, organisation_id, "name")
    _match(rows, table.sheet, outcome.problems)
    if outcome.problems:
        db.session.rollback()  # nothing was written (and the lock is released)
        return outcome
    record = PersonIntake(organisation_id=organisation_id, created_by_id=actor.id, filename=filename[:255],
                          rows=total)
    db.session.add(record)
    db.session.flush()
    new = [row for row in rows if row.person_id is None]
    _create(new, organisation_id)
    proposed = _propose(record, [row for row in rows if row.person_id is not None], organisation_id, actor)
    record.created_count, record.matched_count, record.proposed_count = len(new), total - len(new), proposed
    audit.record(actor, "person_intake", record.id, "intake_people", reason=INTAKE_DONE(
        rows=total, file=filename or "", created=len(new), matched=total - len(new), proposed=proposed))
    db.session.flush()
    report(total, total)
    outcome.intake = record
    outcome.created = {"persons": len(new), "matched": total - len(new), "proposals": proposed}
    return outcome


# ---------------------------------------------------------------- reading rows

class _RowReader:
    """Turns a row into the record's values, reporting each unreadable cell and each broken profile rule."""

    def __init__(self, sheet: str, problems: list[Problem]):
        self.sheet, self.problems = sheet, problems
        self.genders, self.titles, self.degrees = wb.labels(GENDERS), wb.labels(ACADEMIC_TITLES), wb.labels(DEGREES)
        self.ethnicities = {fold(name): name for name in ETHNICITIES}
        self.fields = {fold(name): name for name in FIELDS}
        self.parsers = self._parsers()

    def read(self, row: wb.Row) -> dict | None:
        values, bad = {}, set(row.refused)
        for key, parse in self.parsers.items():
            if key in bad:
                continue
            try:
                values[key] = parse(row.values[key])
            except CellError as error:
                self._report(row.number, key, str(error))
                bad.add(key)
        if not bad.intersection(("full_name", "gender", "date_of_birth", "ethnicity", "academic_title", "degree")):
            data = ProfileData(full_name=values["full_name"], gender=values["gender"],
                               date_of_birth=values["date_of_birth"], ethnicity=values["ethnicity"],
                               academic_title=values["academic_title"], degree=values["degree"])
            for key, message in profile_problems(data, _("Vui lòng nhập họ và tên."), degree_optional=True):
                if key not in bad:
                    self._report(row.number, key, message)
                    bad.add(key)
        return None if bad else values

    def _parsers(self) -> dict:
        unknown = _("\"%(value)s\" không có trong danh mục.")
        unknown_ethnicity = _("Dân tộc \"%(value)s\" không có trong danh mục 54 dân tộc.")
        length = {name: Person.__table__.c[name].type.length
                  for name in ("full_name", "hometown", "workplace", "position", "phone", "field")}
        return {
            "full_name": lambda v: wb.text(v, length["full_name"], required=True),
            "gender": lambda v: wb.choice(v, self.genders, True, unknown),
            "date_of_birth": wb.day,
            "citizen_id": citizen_id,
            "ethnicity": lambda v: wb.choice(v, self.ethnicities, True, unknown_ethnicity),
            "hometown": lambda v: wb.text(v, length["hometown"]),
            "workplace": lambda v: wb.text(v, length["workplace"]),
            "position": lambda v: wb.text(v, length["position"]),
            "academic_title": lambda v: wb.choice(v, self.titles, False, unknown),
            "degree": lambda v: wb.choice(v, self.degrees, False, unknown),
            # A field outside the standard list is kept as written (records carry rounds' own field names).
            "field": lambda v: self.fields.get(fold(wb.text(v, length["field"])), wb.text(v, length["field"])),
            "expertise": lambda v: wb.long_text(v, MAX_EXPERTISE),
            "email": lambda v: wb.email(v, required=False),
            "phone": lambda v: wb.text(v, length["phone"]),
            "is_overseas": lambda v: None if wb.text(v, 20) == "" else wb.yes_no(v),  # empty: not known
        }

    def _report(self, number: int, key: str, message: str) -> None:
        self.problems.append(Problem(number, HEADERS[key], message, self.sheet))


def citizen_id(value) -> str:
    """Twelve digits, or nothing. A number cell lost the leading zeros of the province code: put them back."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        value = str(int(value)).zfill(12)
    shown = wb.text(value, 40).replace(" ", "").replace(".", "")
    if shown and not (len(shown) == 12 and shown.isdigit()):
        raise CellError(_("Số định danh cá nhân gồm đúng 12 chữ số."))
    return shown


# ---------------------------------------------------------------- matching

def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _clean(name: str) -> str:
    return " ".join(name.split())


def _match(rows: list[IntakeRow], sheet: str, problems: list[Problem]) -> None:
    """Set each row's person_id to the live record it is, in a few batched queries: by citizen identification
    number, else by exactly the same name and birth date (a record merged away stands for its survivor). Two rows
    of the file that are one person are reported."""
    by_citizen = _records_by_citizen_id(sorted({row.values["citizen_id"] for row in rows if row.values["citizen_id"]}))
    by_name = _records_by_name(sorted({fold(row.values["full_name"]) for row in rows}))
    seen_citizen, seen_name, seen_person = {}, {}, {}
    for row in rows:
        values = row.values
        number, identity = row.number, (_clean(values["full_name"]), values["date_of_birth"])
        if values["citizen_id"]:
            if values["citizen_id"] in seen_citizen:
                problems.append(Problem(number, HEADERS["citizen_id"], _(
                    "Trùng số định danh cá nhân với dòng %(row)s trong tệp.", row=seen_citizen[values["citizen_id"]]),
                    sheet))
                continue
            seen_citizen[values["citizen_id"]] = number
        earlier = seen_name.get(identity)
        if earlier is not None and not (values["citizen_id"] and earlier[1] and values["citizen_id"] != earlier[1]):
            problems.append(Problem(number, HEADERS["full_name"], _(
                "Trùng với dòng %(row)s trong tệp (cùng họ tên và ngày sinh).", row=earlier[0]), sheet))
            continue
        seen_name.setdefault(identity, (number, values["citizen_id"]))
        person = by_citizen.get(values["citizen_id"]) if values["citizen_id"] else None
        if person is None:
            person = by_name.get(identity)
            if person is not None and values["citizen_id"] and person.citizen_id not in (None, "",
                                                                                         values["citizen_id"]):
                person = None  # a namesake born the same day: another number, another person
        if person is None:
            continue
        if person.id in seen_person:
            problems.append(Problem(number, HEADERS["full_name"], _(
                "Dòng %(row)s trong tệp cũng là người này (cùng số định danh hoặc cùng họ tên và ngày sinh).",
                row=seen_person[person.id]), sheet))
            continue
        seen_person[person.id] = number
        row.person_id = person.id


def _records_by_citizen_id(numbers: list[str]) -> dict[str, Person]:
    found: dict[str, Person] = {}
    tombstones = []
    for chunk in _chunks(numbers):
        for person in db.session.scalars(select(Person).where(Person.citizen_id.in_(chunk))
                                         .order_by(Person.merged_into_id.is_not(None), Person.id)):
            if person.merged_into_id is None:
                found.setdefault(person.citizen_id, person)
            else:
                tombstones.append(person)
    survivors = _survivors(tombstones)
    for person in tombstones:
        if person.citizen_id not in found and person.merged_into_id in survivors:
            found[person.citizen_id] = survivors[person.merged_into_id]
    return found


def _records_by_name(folded_names: list[str]) -> dict[tuple[str, date], Person]:
    """{(name as written, birth date): live record}: candidates share the folded name, the exact spelling picks
    (linking.find_exact's rule; "Nguyen Van A" is not "Nguyễn Văn A", the duplicates screen pairs them)."""
    found: dict[tuple[str, date], Person] = {}
    tombstones = []
    for chunk in _chunks(folded_names):
        for person in db.session.scalars(select(Person).where(Person.name_folded.in_(chunk))
                                         .order_by(Person.merged_into_id.is_not(None), Person.id)):
            if person.merged_into_id is None:
                found.setdefault((_clean(person.full_name), person.date_of_birth), person)
            else:
                tombstones.append(person)
    survivors = _survivors(tombstones)
    for person in tombstones:
        key = (_clean(person.full_name), person.date_of_birth)
        if key not in found and person.merged_into_id in survivors:
            found[key] = survivors[person.merged_into_id]
    return found


def _survivors(tombstones: list[Person]) -> dict[int, Person]:
    """Merging re-points older tombstones, so a tombstone's survivor is one step away."""
    ids = sorted({person.merged_into_id for person in tombstones})
    survivors = {}
    for chunk in _chunks(ids):
        survivors.update({p.id: p for p in db.session.scalars(
            select(Person).where(Person.id.in_(chunk), Person.merged_into_id.is_(None)))})
    return survivors


# ---------------------------------------------------------------- writing

def _create(rows: list[IntakeRow], organisation_id: int | None) -> None:
    """New records, by multi-row INSERTs (no per-object bookkeeping)."""
    now = clock.now()
    for chunk in _chunks(rows):
        db.session.execute(insert(Person), [_new_person(row.values, organisation_id, now) for row in chunk])


def _new_person(values: dict, organisation_id: int | None, now) -> dict:
    name = _clean(values["full_name"])
    return {
        "full_name": name, "name_folded": fold(name), "sort_key": name_sort_key(name), "gender": values["gender"],
        "date_of_birth": values["date_of_birth"], "ethnicity": values["ethnicity"],
        "citizen_id": values["citizen_id"] or None, "hometown": values["hometown"],
        "workplace": values["workplace"], "position": values["position"],
        "academic_title": values["academic_title"], "degree": values["degree"], "email": values["email"],
        "phone": values["phone"], "is_overseas": bool(values["is_overseas"]), "field": values["field"],
        "expertise": values["expertise"], "organisation_id": organisation_id, "consent_national_db": False,
        "version": 1, "created_at": now, "updated_at": now,
    }


def _propose(record: PersonIntake, rows: list[IntakeRow], organisation_id: int | None, actor) -> int:
    """Pending proposals for what each matched row would change; a value the record already has, or that a
    pending proposal already offers, proposes nothing (a list loaded again adds no duplicates). An empty cell
    proposes nothing either (the list does not know, which is not "erase it")."""
    ids = [row.person_id for row in rows]
    persons, pending = {}, set()
    for chunk in _chunks(ids):
        persons.update({p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(chunk)))})
        pending.update(db.session.execute(
            select(PersonChangeProposal.person_id, PersonChangeProposal.field, PersonChangeProposal.proposed_value)
            .where(PersonChangeProposal.person_id.in_(chunk), PersonChangeProposal.state == PENDING)).tuples())
    now, proposals = clock.now(), []
    for row in rows:
        person = persons[row.person_id]
        values = {**row.values, "organisation_id": organisation_id}
        for name in PROPOSED:
            proposed, current = as_text(values[name]), as_text(getattr(person, name))
            if not proposed or proposed == current or (person.id, name, proposed) in pending:
                continue
            proposals.append({
                "person_id": person.id, "field": name, "old_value": current, "proposed_value": proposed,
                "state": PENDING, "source_type": SOURCE, "source_id": record.id, "organisation_id": organisation_id,
                "proposed_by_id": actor.id, "created_at": now})
    for chunk in _chunks(proposals):
        db.session.execute(insert(PersonChangeProposal), chunk)
    return len(proposals)


# ---------------------------------------------------------------- history

def recent(user, page: int = 1, per_page: int = 25):
    """The lists loaded so far, newest first: an organisation sees its own, the secretariat every one."""
    query = (select(PersonIntake).options(joinedload(PersonIntake.organisation), joinedload(PersonIntake.created_by))
             .order_by(PersonIntake.id.desc()))
    if user.role != roles.SECRETARIAT:
        query = query.where(or_(PersonIntake.organisation_id == user.organisation_id,
                                PersonIntake.created_by_id == user.id))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
