"""Export of the intellectuals database for the national database (Hệ thống CSDL quốc gia về trí thức).

The columns, their headers and formats are a published interface, described column by column in
docs/national-export.md (a test compares the two): headers are fixed Vietnamese text, never translated, and a
column is only ever added at the end. Columns marked CONSENT stay blank unless the person agreed to share them;
without consent the national database still gets the year of birth.

The export runs as a background job (honours.core.jobs): the worker streams the persons from the database in
chunks read by keyset straight into the file, CSV row by row, Excel through honours.core.xlsx_stream (a writer
that knows each column's type, several times faster than XlsxWriter at this size), so memory stays flat at the
province's 150,000 persons. What each row adds from elsewhere (the years honoured, the talent pool, the people's
own consents to (c) and (d)) is read once, before the first chunk: it grows with the dossiers and referrals, a
few hundred a year, not with the persons.
"""
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, func, or_, select

from honours.consent import services as consent
from honours.consent.purposes import NATIONAL_DB
from honours.core import audit, clock, jobs, xlsx_stream
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.roles import ensure_secretariat
from honours.core.spreadsheets import FORMULA_START, defuse
from honours.core.transactions import operation
from honours.core.xlsx_stream import DATE, NUMBER, TEXT
from honours.organisations.models import Organisation
from honours.people.models import Person

from .services import active_in_pool, honoured_years

PUBLIC, CONSENT = "public", "consent"
SHEET_NAME = "CSDL tri thuc"
YES, NO = "Có", "Không"
GENDER_VALUES = {"male": "Nam", "female": "Nữ"}
DEGREE_VALUES = {"TSKH": "TSKH", "TS": "TS", "ThS": "ThS", "DH": "ĐH", "other": "Khác"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    visibility: str  # PUBLIC, or CONSENT: blank unless the person consented
    width: int = 18
    kind: str = TEXT  # how the Excel file stores it: TEXT, NUMBER or DATE (a date cell shown dd/mm/yyyy)


COLUMNS = (
    Column("id", "Mã định danh", PUBLIC, 12, NUMBER),
    Column("full_name", "Họ và tên", PUBLIC, 28),
    Column("gender", "Giới tính", PUBLIC, 9),
    Column("birth_year", "Năm sinh", PUBLIC, 9, NUMBER),
    Column("date_of_birth", "Ngày sinh", CONSENT, 12, DATE),
    Column("ethnicity", "Dân tộc", CONSENT, 12),  # sensitive data (Law 91/2025/QH15): only with consent
    Column("hometown", "Quê quán", CONSENT, 28),
    Column("academic_title", "Học hàm", PUBLIC, 9),
    Column("degree", "Học vị", PUBLIC, 9),
    Column("field", "Lĩnh vực", PUBLIC, 24),
    Column("expertise", "Chuyên môn", PUBLIC, 36),
    Column("workplace", "Cơ quan công tác", PUBLIC, 36),
    Column("position", "Chức vụ", PUBLIC, 24),
    Column("organisation", "Đơn vị đề cử, tiến cử", PUBLIC, 32),
    Column("overseas", "Ở nước ngoài", PUBLIC, 12),
    Column("email", "Email", CONSENT, 28),
    Column("phone", "Điện thoại", CONSENT, 16),
    Column("honoured_years", "Năm được tôn vinh", PUBLIC, 14),
    Column("in_talent_pool", "Trong nguồn nhân tài", PUBLIC, 12),
    Column("consent", "Đồng ý chia sẻ thông tin", PUBLIC, 12),
    Column("updated_at", "Ngày cập nhật", PUBLIC, 12, DATE),
)
HEADERS = [column.header for column in COLUMNS]
CONSENT_POSITION = next(position for position, column in enumerate(COLUMNS) if column.key == "consent")
CONSENT_ONLY = [position for position, column in enumerate(COLUMNS) if column.visibility == CONSENT]
DATES = [position for position, column in enumerate(COLUMNS) if column.kind == DATE]
TEXTS = [position for position, column in enumerate(COLUMNS) if column.kind == TEXT]
FORMULA_FIRST = frozenset(FORMULA_START)  # a set: "" is not in it ("" is in every string)
NATIONAL_EXPORTED = audit.Reason("directory.national_export", audit.N_(
    "Xuất dữ liệu cho CSDL quốc gia về trí thức (%(format)s, toàn bộ hồ sơ): %(rows)s người, trong đó %(consented)s "
    "người đồng ý chia sẻ ngày sinh và liên hệ."))


CHUNK = 5000  # persons read per query
PROGRESS_EVERY = 1000  # rows


def _people_query():
    # coalesce(): SQLite would otherwise walk the merged_into_id index (every live record has NULL there) and sort
    # each chunk; this way both databases read the chunk in order from the sort-key index.
    return (select(Person.id, Person.full_name, Person.gender, Person.date_of_birth, Person.ethnicity,
                   Person.hometown, Person.academic_title, Person.degree, Person.field, Person.expertise,
                   Person.workplace, Person.position, Organisation.name.label("organisation"), Person.is_overseas,
                   Person.email, Person.phone, Person.consent_national_db, Person.updated_at, Person.sort_key)
            .outerjoin(Organisation, Organisation.id == Person.organisation_id)
            .where(func.coalesce(Person.merged_into_id, 0) == 0, _not_refused())
            .order_by(Person.sort_key, Person.id))


def _not_refused():
    """Less the people who refused or withdrew (c), inclusion in the province's database."""
    return Person.id.not_in(consent.provincial_refusals())


def _exported() -> tuple:
    """Live records, less the people who refused or withdrew (c)."""
    return Person.merged_into_id.is_(None), _not_refused()


def count() -> int:
    """How many persons the export holds (the job's progress total)."""
    return db.session.scalar(select(func.count(Person.id)).where(*_exported()))


def iter_rows() -> Iterator[list]:
    """One row per live person (tombstones excluded), in Vietnamese name order, values in the order of COLUMNS:
    ids and years as int, dates as date, the rest as text ("" for an empty or withheld cell).

    Streamed in chunks of CHUNK persons read by keyset (after the last sort key and id of the previous chunk):
    memory stays constant whatever the number of persons, each query is a short index range scan, and no cursor
    stays open between chunks (on SQLite an open cursor would keep the job's progress writes waiting). Three
    queries before the first chunk: the years people were honoured, who is in the talent pool, and the people's
    own choices about (d), the transfer to the national database, which decide over the organisation's recorded
    box (people never asked keep the box)."""
    honoured, in_pool, choices = honoured_years(), active_in_pool(), consent.database_choices()
    after = None
    while True:
        query = _people_query().limit(CHUNK)
        if after is not None:
            key, last_id = after
            query = query.where(or_(Person.sort_key > key, and_(Person.sort_key == key, Person.id > last_id)))
        people = db.session.execute(query).all()
        for p in people:
            person_id = p[0]
            yield _row(p, honoured.get(person_id, ()), person_id in in_pool,
                       choices.get(person_id, {}).get(NATIONAL_DB, p.consent_national_db))
        if len(people) < CHUNK:
            return
        after = (people[-1].sort_key, people[-1].id)


def rows() -> list[list]:
    """Every row at once (small sets, tests); exports stream iter_rows()."""
    return list(iter_rows())


def _row(p, honoured_years, in_pool: bool, consented: bool) -> list:
    """The values in the order of COLUMNS (a test checks each lands under its header); built from the row's tuple,
    not through a dict of the keys, because the export makes 150,000 of them."""
    (person_id, full_name, gender, born, ethnicity, hometown, academic_title, degree, field, expertise, workplace,
     position, organisation, overseas, email, phone, _box, updated_at, _sort_key) = p
    row = [person_id, full_name, GENDER_VALUES.get(gender, gender), born.year, born, ethnicity, hometown,
           academic_title, DEGREE_VALUES.get(degree, degree), field,
           " ".join(expertise.split()),  # one line per person, whatever was typed
           workplace, position, organisation or "", YES if overseas else NO, email, phone,
           "; ".join(map(str, honoured_years)), YES if in_pool else NO, YES if consented else NO, updated_at.date()]
    if not consented:
        for column in CONSENT_ONLY:
            row[column] = ""
    return row


def filename(extension: str) -> str:
    return f"csdl-tri-thuc-{clock.now():%Y%m%d}.{extension}"


MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
JOB_KIND = "national-export"


def _no_progress(done: int, total: int | None = None) -> None:
    pass


@operation
def start_national_export(actor, extension: str):
    """Queue the export as a job (it takes seconds to minutes at the province's scale): the worker writes the file,
    the job page shows the progress and the download link. Returns the job."""
    ensure_secretariat(actor)
    if extension not in MIMETYPES:
        raise RuleViolation(_("Định dạng xuất không hợp lệ."))
    return jobs.services.enqueue(JOB_KIND, actor, {"format": extension})


@jobs.handler(JOB_KIND, _l("Xuất dữ liệu cho CSDL quốc gia về trí thức"))
def run_national_export(job, progress):
    """The job: personal data leaves the platform, so the audit log records who took it, when, in which format
    and how many people it holds (in the job's transaction, committed with its "done")."""
    actor = job.user
    ensure_secretariat(actor)  # the account may have changed role since it asked
    extension = job.params.get("format")
    if extension not in MIMETYPES:
        raise RuleViolation(_("Định dạng xuất không hợp lệ."))
    result = jobs.result_file(job, filename(extension), MIMETYPES[extension])
    with open(result.path, "wb") as out:
        tally = (write_csv if extension == "csv" else write_xlsx)(out, progress)
    audit.record(actor, "person", 0, "national_export", reason=NATIONAL_EXPORTED(
        format=extension.upper(), rows=tally.rows, consented=tally.consented))
    result.summary = ngettext("%(num)d người, trong đó %(consented)d người đồng ý chia sẻ ngày sinh và liên hệ.",
                              "%(num)d người, trong đó %(consented)d người đồng ý chia sẻ ngày sinh và liên hệ.",
                              tally.rows, consented=tally.consented)
    return result


@dataclass
class Tally:
    rows: int = 0
    consented: int = 0


def _counted(progress) -> tuple[Iterator[list], Tally]:
    total = count()
    progress(0, total)
    tally = Tally()

    def counting() -> Iterator[list]:
        for row in iter_rows():
            tally.rows += 1
            tally.consented += row[CONSENT_POSITION] == YES
            if tally.rows % PROGRESS_EVERY == 0:
                progress(tally.rows, max(total, tally.rows))
            yield row
        if tally.rows % PROGRESS_EVERY:
            progress(tally.rows, max(total, tally.rows))

    return counting(), tally


def write_csv(out: BinaryIO, progress=_no_progress) -> Tally:
    """UTF-8 with a byte-order mark (Excel otherwise reads Vietnamese as mojibake), comma-separated, CRLF, dates
    dd/mm/yyyy; written row by row as the rows stream from the database."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=False)
    writer = csv.writer(text)
    writer.writerow([defuse(header) for header in HEADERS])
    data, tally = _counted(progress)
    for row in data:
        for position in TEXTS:
            if row[position][:1] in FORMULA_FIRST:
                row[position] = defuse(row[position])
        for position in DATES:
            if day := row[position]:
                row[position] = f"{day.day:02}/{day.month:02}/{day.year}"
        writer.writerow(row)
    text.flush()
    text.detach()  # leave `out` open: the caller owns it
    return tally


def write_xlsx(out: BinaryIO, progress=_no_progress) -> Tally:
    """One sheet, written as the rows stream (honours.core.xlsx_stream): ids and years as numbers, dates as date
    cells, everything else as text (never a formula); the header bold and frozen with the id and name columns."""
    columns = [xlsx_stream.Column(column.header, column.kind, column.width) for column in COLUMNS]
    data, tally = _counted(progress)
    with xlsx_stream.SheetWriter(out, SHEET_NAME, columns, frozen_columns=2, created=clock.now(),
                                 title="Dữ liệu trí thức tỉnh Bắc Ninh cho CSDL quốc gia về trí thức",
                                 subject=f"Xuất lúc {clock.now():%d/%m/%Y %H:%M}") as sheet:
        for row in data:
            sheet.write(row)
    return tally


def national_csv() -> bytes:
    """The CSV file in memory (tests, small sets); the export job streams write_csv() to a file."""
    out = io.BytesIO()
    write_csv(out)
    return out.getvalue()


def national_xlsx() -> bytes:
    out = io.BytesIO()
    write_xlsx(out)
    return out.getvalue()
