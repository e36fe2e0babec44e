"""Export of the intellectuals database for the national database (Hệ thống CSDL quốc gia về trí thức).

The columns, their headers and formats are a published interface, described column by column in
docs/national-export.md (a test compares the two): headers are fixed Vietnamese text, never translated, and a
column is only ever added at the end. Columns marked CONSENT stay blank unless the person agreed to share them;
without consent the national database still gets the year of birth.

Rows are built from four set-based queries whatever the number of persons (10,000 export in well under two
seconds; the fourth reads the people's own consents to (c) and (d), honours.consent), and the Excel file is
written with XlsxWriter, which stores every text as text (no formula can be smuggled in through a name) and is
several times faster than openpyxl for a sheet this size.
"""
import csv
import io
from dataclasses import dataclass

import xlsxwriter
from sqlalchemy import select

from honours.consent import services as consent
from honours.consent.purposes import NATIONAL_DB, PROVINCIAL_DB
from honours.core import audit, clock
from honours.core.db import db
from honours.core.roles import ensure_secretariat
from honours.core.spreadsheets import defuse
from honours.core.transactions import operation
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.organisations.models import Organisation
from honours.people.models import Person
from honours.rounds.models import Round
from honours.talent.models import ACTIVE, PoolEntry

PUBLIC, CONSENT = "public", "consent"
SHEET_NAME = "CSDL tri thuc"
DATE_FORMAT = "%d/%m/%Y"
YES, NO = "Có", "Không"
GENDER_VALUES = {"male": "Nam", "female": "Nữ"}
DEGREE_VALUES = {"TSKH": "TSKH", "TS": "TS", "ThS": "ThS", "DH": "ĐH", "other": "Khác"}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    visibility: str  # PUBLIC, or CONSENT: blank unless the person consented
    width: int = 18


COLUMNS = (
    Column("id", "Mã định danh", PUBLIC, 12),
    Column("full_name", "Họ và tên", PUBLIC, 28),
    Column("gender", "Giới tính", PUBLIC, 9),
    Column("birth_year", "Năm sinh", PUBLIC, 9),
    Column("date_of_birth", "Ngày sinh", CONSENT, 12),
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
    Column("updated_at", "Ngày cập nhật", PUBLIC, 12),
)
HEADERS = [column.header for column in COLUMNS]
CONSENT_POSITION = next(position for position, column in enumerate(COLUMNS) if column.key == "consent")
NATIONAL_EXPORTED = audit.Reason("directory.national_export", audit.N_(
    "Xuất dữ liệu cho CSDL quốc gia về trí thức (%(format)s, toàn bộ hồ sơ): %(rows)s người, trong đó %(consented)s "
    "người đồng ý chia sẻ ngày sinh và liên hệ."))


def rows() -> list[list]:
    """One row per live person (tombstones excluded), in Vietnamese name order, values as in COLUMNS."""
    people = db.session.execute(
        select(Person.id, Person.full_name, Person.gender, Person.date_of_birth, Person.ethnicity, Person.hometown,
               Person.academic_title, Person.degree, Person.field, Person.expertise, Person.workplace,
               Person.position, Organisation.name.label("organisation"), Person.is_overseas, Person.email,
               Person.phone, Person.consent_national_db, Person.updated_at)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(Person.merged_into_id.is_(None)).order_by(Person.sort_key, Person.id)
    ).all()
    honoured: dict[int, list[str]] = {}
    for person_id, year in db.session.execute(
        select(Dossier.person_id, Round.year).join(Round, Round.id == Dossier.round_id)
        .where(Dossier.person_id.is_not(None), Dossier.state == states.PUBLISHED, Round.published_at.is_not(None))
        .distinct().order_by(Round.year)
    ):
        honoured.setdefault(person_id, []).append(str(year))
    in_pool = set(db.session.scalars(select(PoolEntry.person_id).where(PoolEntry.status == ACTIVE)))
    # The person's own choices (consent: c, inclusion in the province's database; d, transfer to the national
    # one) decide over the organisation's recorded box; people never asked keep the box.
    choices = consent.database_choices()
    return [_row(p, honoured.get(p.id, []), p.id in in_pool, choices.get(p.id, {}).get(NATIONAL_DB,
                                                                                      p.consent_national_db))
            for p in people if choices.get(p.id, {}).get(PROVINCIAL_DB) is not False]


def _row(p, honoured_years: list[str], in_pool: bool, consented: bool) -> list:
    values = {
        "id": p.id,
        "full_name": p.full_name,
        "gender": GENDER_VALUES.get(p.gender, p.gender),
        "birth_year": p.date_of_birth.year,
        "date_of_birth": p.date_of_birth.strftime(DATE_FORMAT),
        "ethnicity": p.ethnicity,
        "hometown": p.hometown,
        "academic_title": p.academic_title,
        "degree": DEGREE_VALUES.get(p.degree, p.degree),
        "field": p.field,
        "expertise": " ".join(p.expertise.split()),  # one line per person, whatever was typed
        "workplace": p.workplace,
        "position": p.position,
        "organisation": p.organisation or "",
        "overseas": YES if p.is_overseas else NO,
        "email": p.email,
        "phone": p.phone,
        "honoured_years": "; ".join(honoured_years),
        "in_talent_pool": YES if in_pool else NO,
        "consent": YES if consented else NO,
        "updated_at": p.updated_at.strftime(DATE_FORMAT),
    }
    return [values[c.key] if consented or c.visibility == PUBLIC else "" for c in COLUMNS]


def filename(extension: str) -> str:
    return f"csdl-tri-thuc-{clock.now():%Y%m%d}.{extension}"



@operation
def national_export(actor, extension: str) -> bytes:
    """The export file ("csv" or "xlsx"); personal data leaves the platform, so the audit log records who took
    it, when, in which format and how many people it holds."""
    ensure_secretariat(actor)
    data = rows()
    content = national_csv(data) if extension == "csv" else national_xlsx(data)
    audit.record(actor, "person", 0, "national_export", reason=NATIONAL_EXPORTED(
        format=extension.upper(), rows=len(data), consented=sum(row[CONSENT_POSITION] == YES for row in data)))
    db.session.flush()
    return content


def national_csv(data: list[list] | None = None) -> bytes:
    """UTF-8 with a byte-order mark (Excel otherwise reads Vietnamese as mojibake), comma-separated, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([defuse(header) for header in HEADERS])
    writer.writerows([defuse(value) for value in row] for row in (rows() if data is None else data))
    return out.getvalue().encode("utf-8-sig")


def national_xlsx(data: list[list] | None = None) -> bytes:
    out = io.BytesIO()
    # Every string is written as a string: no formulas, URLs or numbers guessed from text (formula injection).
    workbook = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    sheet = workbook.add_worksheet(SHEET_NAME)
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF7"})
    data = rows() if data is None else data
    sheet.write_row(0, 0, HEADERS, header)
    for number, row in enumerate(data, start=1):
        sheet.write_row(number, 0, row)
    for position, column in enumerate(COLUMNS):
        sheet.set_column(position, position, column.width)
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, len(data), len(COLUMNS) - 1)
    workbook.close()
    return out.getvalue()
