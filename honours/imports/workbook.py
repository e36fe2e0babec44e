"""The import workbooks: refuse what is not a sane .xlsx, find the data sheet, check its header row and hand out
the data rows with their row numbers as Excel shows them. Formula cells are refused, never evaluated.

Also the writing side shared by both kinds of import: the template (a data sheet with dropdowns fed by a
"Danh mục" sheet) and the downloadable error report.
"""
import io
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

import openpyxl
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from honours.core.errors import RuleViolation
from honours.core.spreadsheets import keep_text
from honours.core.text import fold

ZIP_SIGNATURE = b"PK\x03\x04"
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003, OLE compound file)
MAX_ZIP_ENTRIES = 2_000
LISTS_SHEET = "Danh mục"  # the allowed values; a sheet of the template, never read back as data
DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$")


class FileRefused(RuleViolation):
    """The upload cannot be read as an import workbook at all (nothing row by row to report)."""


@dataclass(frozen=True)
class Problem:
    """One error of the report: row number as Excel shows it (None: the whole file), column header, message."""

    row: int | None
    column: str
    message: str
    sheet: str = ""


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # fixed Vietnamese text: the file format, not the interface, so never translated
    width: int = 18
    choices: str | None = None  # the "Danh mục" list feeding this column's dropdown


@dataclass
class Row:
    number: int
    values: dict[str, object]  # column key -> cell value (None when empty)
    refused: set[str] = field(default_factory=set)  # keys of cells already reported (formulas)


@dataclass
class Table:
    sheet: str
    rows: list[Row]


class CellError(ValueError):
    """A cell value that cannot be used; the message goes to the report against that cell."""


# ---------------------------------------------------------------- reading

def open_workbook(data: bytes, max_unzipped: int):
    """The workbook (read-only, formulas kept as formulas), or FileRefused with a message the user can act on."""
    if data.startswith(OLD_EXCEL_SIGNATURE):
        raise FileRefused(_("Tệp ở định dạng Excel cũ (.xls). Vui lòng mở bằng Excel, lưu lại dạng .xlsx rồi tải lên."))
    not_excel = _("Tệp tải lên không phải tệp Excel (.xlsx). Vui lòng dùng tệp mẫu tải từ trang này.")
    if not data.startswith(ZIP_SIGNATURE):
        raise FileRefused(not_excel)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise FileRefused(not_excel) from None
    # Declared sizes bound what zipfile will ever inflate, so their sum is a safe zip-bomb check.
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > max_unzipped:
        raise FileRefused(_("Tệp Excel quá lớn khi giải nén (trên %(mb)s MB). Vui lòng chia thành nhiều tệp nhỏ hơn.",
                            mb=max_unzipped // (1024 * 1024)))
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds (KeyError, InvalidFileException, XML errors...)
        raise FileRefused(_("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx.")) from None


@contextmanager
def reading(book):
    """Read-only sheets are parsed while iterating: a damaged or hostile part (bad XML, entity declarations,
    which defusedxml refuses) surfaces there and refuses the file too. The workbook is closed either way."""
    try:
        yield book
    except RuleViolation:
        raise
    except Exception:
        raise FileRefused(_("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx.")) from None
    finally:
        book.close()


def header_key(text) -> str:
    """Headers match without accents, case, spacing or the hint in brackets: "Ngày sinh (dd/mm/yyyy)" = "ngay sinh"."""
    return fold(re.sub(r"\(.*?\)", " ", str(text or "")))


def sheet_named(book, name: str):
    wanted = header_key(name)
    return next((book[title] for title in book.sheetnames if header_key(title) == wanted), None)


def other_sheets(book, used: list[str]) -> list[str]:
    """Sheets the import does not read (the template's list sheet aside), to tell the user they were ignored."""
    skipped = {header_key(name) for name in used} | {header_key(LISTS_SHEET)}
    return [title for title in book.sheetnames if header_key(title) not in skipped]


def first_row(sheet) -> list:
    for cells in sheet.iter_rows(min_row=1, max_row=1, values_only=True):
        return list(cells)
    return []


def read_table(sheet, columns: tuple[Column, ...], max_rows: int, problems: list[Problem]) -> Table | None:
    """The sheet's data rows keyed by column, or None (with problems) when the header row does not match.
    Empty rows are skipped; more than max_rows data rows refuse the whole file."""
    title = sheet.title
    sheet.reset_dimensions()  # trust the cells, not the declared size (often wrong in generated files)
    positions, header_problems = _match_header(first_row(sheet), columns)
    if header_problems:
        problems.extend(Problem(1, "", message, title) for message in header_problems)
        return None
    rows = []
    for number, cells in enumerate(sheet.iter_rows(min_row=2), start=2):
        if not any(_present(cell.value) for cell in cells):
            continue
        number = next((cell.row for cell in cells if getattr(cell, "row", None)), number)
        if len(rows) == max_rows:
            raise FileRefused(_("Tệp có quá nhiều dòng: tối đa %(max)s dòng dữ liệu mỗi lần nhập.", max=max_rows))
        row = Row(number, {})
        for key, position in positions.items():
            cell = cells[position] if position < len(cells) else None
            value = cell.value if cell is not None else None
            if cell is not None and cell.data_type == "f":
                problems.append(Problem(number, _header_of(columns, key), _(
                    "Ô chứa công thức; vui lòng nhập giá trị (sao chép rồi dán dạng giá trị)."), title))
                row.refused.add(key)
                value = None
            row.values[key] = value
        rows.append(row)
    return Table(title, rows)


def _present(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _header_of(columns, key: str) -> str:
    return next(column.header for column in columns if column.key == key)


def _match_header(cells: list, columns: tuple[Column, ...]) -> tuple[dict[str, int], list[str]]:
    expected = {header_key(column.header): column for column in columns}
    positions, unknown, problems = {}, [], []
    for position, text in enumerate(cells):
        if not _present(text):
            continue
        column = expected.get(header_key(text))
        if column is None:
            unknown.append(str(text).strip())
        elif column.key in positions:
            problems.append(_("Cột \"%(column)s\" xuất hiện hai lần.", column=column.header))
        else:
            positions[column.key] = position
    missing = [column.header for column in columns if column.key not in positions]
    if missing:
        problems.append(_("Dòng tiêu đề (dòng 1) thiếu cột: %(columns)s.", columns=", ".join(missing)))
    if unknown:
        problems.append(_("Cột không có trong mẫu: %(columns)s.", columns=", ".join(unknown)))
    return positions, problems


# ---------------------------------------------------------------- cell values

def text(value, max_length: int, required: bool = False) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed into a number cell
    if isinstance(value, (datetime, date)):
        value = value.strftime("%d/%m/%Y")
    result = " ".join(str(value).split()) if value is not None else ""
    if required and not result:
        raise CellError(_("Vui lòng nhập thông tin này."))
    if len(result) > max_length:
        raise CellError(_("Tối đa %(max)d ký tự.", max=max_length))
    return result


def long_text(value, max_length: int) -> str:
    """Multi-line text (line breaks kept)."""
    result = str(value).strip() if value is not None else ""
    if len(result) > max_length:
        raise CellError(_("Tối đa %(max)d ký tự.", max=max_length))
    return result


def day(value) -> date:
    """A real Excel date, or text dd/mm/yyyy."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    shown = text(value, 100, required=True)
    match = DATE_TEXT.match(shown)
    if match:
        d, m, y = (int(part) for part in match.groups())
        try:
            return date(y, m, d)
        except ValueError:
            pass
    raise CellError(_("Ngày \"%(value)s\" không hợp lệ, vui lòng nhập theo dạng dd/mm/yyyy.", value=shown))


def choice(value, lookup: dict[str, str], required: bool, unknown_message: str):
    """The key of an allowed value, matched accent- and case-insensitively (lookup: folded label -> key)."""
    shown = text(value, 255, required=required)
    if not shown:
        return lookup.get("", "")
    try:
        return lookup[_folded(shown)]
    except KeyError:
        raise CellError(unknown_message % {"value": shown}) from None


@lru_cache(maxsize=4096)
def _folded(value: str) -> str:  # choice cells repeat a few values ("Nam", "Kinh", "TS"...)
    return fold(value)


def yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    shown = _folded(text(value, 20))
    if shown in ("", "khong", "k", "no", "false", "0"):
        return False
    if shown in ("co", "c", "x", "yes", "true", "1"):
        return True
    raise CellError(_("Vui lòng ghi \"Có\" hoặc \"Không\"."))


def email(value, required: bool) -> str:
    """Checked by email_validator like the forms. It takes ~0.2 ms an address, mostly on the domain; a file repeats
    a few domains, so each domain is checked once, and a plain ASCII local part (dot-atom, which email_validator
    always accepts) needs no further check."""
    shown = text(value, 254, required=required)
    if shown:
        local, _at, domain = shown.rpartition("@")
        plain = len(local) <= 64 and DOT_ATOM.match(local)
        if not (_valid_email("a@" + domain) and (plain or _valid_email(shown))):
            raise CellError(_("Địa chỉ email không hợp lệ."))
    return shown


ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
DOT_ATOM = re.compile(rf"^{ATEXT}(\.{ATEXT})*$")


@lru_cache(maxsize=1024)
def _valid_email(address: str) -> bool:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def whole_number(value, minimum: int, maximum: int) -> int | None:
    if isinstance(value, bool):
        raise CellError(_("Vui lòng nhập một số nguyên."))
    if not isinstance(value, (int, float)):
        shown = text(value, 20)
        if not shown:
            return None
        try:
            value = float(shown)
        except ValueError:
            raise CellError(_("Vui lòng nhập một số nguyên.")) from None
    if not float(value).is_integer():
        raise CellError(_("Vui lòng nhập một số nguyên."))
    if not minimum <= value <= maximum:
        raise CellError(_("Giá trị ngoài khoảng cho phép."))
    return int(value)


def labels(mapping: dict, locales=("vi", "en")) -> dict[str, str]:
    """Folded spellings -> key for a reference list: the key, the label in each language, the code in brackets
    and the label without it ("Tiến sĩ (TS)", "TS", "Tiến sĩ" all give "TS")."""
    from flask_babel import force_locale

    lookup = {}
    for key, label in mapping.items():
        spellings = {key}
        for locale in locales:
            with force_locale(locale):
                shown = str(label)
            spellings |= {shown, re.sub(r"\(.*?\)", "", shown)}
            spellings |= set(re.findall(r"\((.*?)\)", shown))
        for spelling in spellings:
            lookup.setdefault(fold(spelling), key)
    return lookup


def vietnamese(label) -> str:
    from flask_babel import force_locale

    with force_locale("vi"):
        return str(label)


# ---------------------------------------------------------------- writing

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
DROPDOWN_ROWS = 10_000


def template(sheets: list[tuple[str, tuple[Column, ...], tuple[str, ...]]], lists: dict[str, list[str]]) -> bytes:
    """A workbook with one data sheet per (name, columns, text-formatted column keys) and the "Danh mục" sheet;
    columns naming a list get a dropdown of its values."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    list_ranges = _write_lists(book, lists)
    for name, columns, text_keys in sheets:
        sheet = book.create_sheet(name, index=len(book.sheetnames) - 1)
        _write_header(sheet, [column.header for column in columns], [column.width for column in columns])
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            if column.key in text_keys:  # typed 0912... or 05/03/1970 stays as typed, not a number or a US date
                sheet.column_dimensions[letter].number_format = "@"
            if column.choices in list_ranges:
                validation = DataValidation(type="list", formula1=list_ranges[column.choices], allow_blank=True,
                                            showErrorMessage=True, errorStyle="warning")
                validation.add(f"{letter}2:{letter}{DROPDOWN_ROWS + 1}")
                sheet.add_data_validation(validation)
    book.active = 0
    return _save(book)


def _write_lists(book, lists: dict[str, list[str]]) -> dict[str, str]:
    sheet = book.create_sheet(LISTS_SHEET)
    _write_header(sheet, list(lists), [max(16, min(45, max((len(v) for v in values), default=0) + 2))
                                       for values in lists.values()])
    ranges = {}
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value)
        ranges[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${max(2, len(values) + 1)}"
    keep_text(sheet)
    return ranges


def _write_header(sheet, headers: list[str], widths: list[int]) -> None:
    sheet.append(headers)
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def report(problems: list[Problem], with_sheet: bool) -> bytes:
    """The error report as a workbook: one line per problem."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Lỗi"
    headers = ([_("Trang tính")] if with_sheet else []) + [_("Dòng"), _("Cột"), _("Lỗi")]
    _write_header(sheet, headers, ([22] if with_sheet else []) + [8, 28, 90])
    for problem in problems:
        sheet.append(([problem.sheet] if with_sheet else []) + [problem.row, problem.column, problem.message])
    keep_text(sheet)
    return _save(book)


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
