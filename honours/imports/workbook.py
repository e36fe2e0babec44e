"""The import workbooks: refuse what is not a sane .xlsx, find the data sheet, check its header row and hand out
the data rows with their row numbers as Excel shows them. Formula cells are refused, never evaluated.

An upload is untrusted: it is parsed in a child process with CPU-time, memory and wall-clock limits
(honours.core.isolation), after its zip directory (every part's size) and its shared-strings table (count and
length, streamed) were checked, and rows are read one by one up to the row limit.

Also the writing side shared by both kinds of import: the template (a data sheet with dropdowns fed by a
"Danh mục" sheet) and the downloadable error report.
"""
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from xml.parsers import expat

import openpyxl
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from honours.core import clock, isolation
from honours.core.errors import RuleViolation
from honours.core.spreadsheets import describe, finish_sheet
from honours.core.text import fold

ZIP_SIGNATURE = b"PK\x03\x04"
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003, OLE compound file)
MAX_ZIP_ENTRIES = 2_000
MAX_CELL_CHARACTERS = 32_767  # Excel's own limit: a longer string did not come from Excel
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

@dataclass(frozen=True)
class Limits:
    """What an upload may cost before it is refused (settings IMPORT_* in honours/config.py)."""

    max_rows: int
    max_unzipped: int  # all parts together, as the zip directory declares them (zipfile never inflates more)
    max_part: int  # any one part
    max_shared_strings: int
    parse_seconds: int  # wall clock of the child process that parses the file
    parse_cpu_seconds: int  # and its CPU time
    parse_memory: int  # memory the child may allocate beyond what it inherits

    @classmethod
    def of(cls, config) -> "Limits":
        return cls(config["IMPORT_MAX_ROWS"], config["IMPORT_MAX_UNZIPPED_BYTES"], config["IMPORT_MAX_PART_BYTES"],
                   config["IMPORT_MAX_SHARED_STRINGS"], config["IMPORT_PARSE_SECONDS"],
                   min(config["IMPORT_PARSE_CPU_SECONDS"], config["IMPORT_PARSE_SECONDS"]),
                   config["IMPORT_PARSE_MEMORY_BYTES"])


@dataclass
class Sheet:
    """A sheet as read in the child process: its header row and its non-empty data rows (at most max_rows; one
    more sets too_many and stops the reading). Formula cells read as None, their positions in `formulas`."""

    title: str
    header: list
    rows: list[tuple[int, tuple, frozenset]] = field(default_factory=list)  # (row number, values, formulas)
    too_many: bool = False


@dataclass
class Book:
    sheetnames: list[str]
    sheets: list[Sheet]  # those whose names were asked for, else the first worksheet


def load(data: bytes, wanted: list[str], limits: Limits) -> Book:
    """The sheets named `wanted` (or the first one), read from an upload in a child process under `limits`; or
    FileRefused with a message the user can act on. Nothing of the file is parsed in the web process."""
    if data.startswith(OLD_EXCEL_SIGNATURE):
        raise FileRefused(_("Tệp ở định dạng Excel cũ (.xls). Vui lòng mở bằng Excel, lưu lại dạng .xlsx rồi tải lên."))
    if not data.startswith(ZIP_SIGNATURE):
        raise FileRefused(_refusal("not_excel", {}, limits))
    try:
        outcome = isolation.run_limited(_read_in_child, data, tuple(header_key(name) for name in wanted), limits,
                                        cpu_seconds=limits.parse_cpu_seconds, memory_bytes=limits.parse_memory,
                                        wall_seconds=limits.parse_seconds)
    except isolation.LimitExceeded:
        raise FileRefused(_refusal("too_complex", {}, limits)) from None
    except isolation.ChildFailed:
        raise FileRefused(_refusal("unreadable", {}, limits)) from None
    if isinstance(outcome, Book):
        return outcome
    code, params = outcome
    raise FileRefused(_refusal(code, params, limits))


def _refusal(code: str, params: dict, limits: Limits) -> str:
    mb = limits.max_unzipped // (1024 * 1024)
    messages = {
        "not_excel": lambda: _("Tệp tải lên không phải tệp Excel (.xlsx). Vui lòng dùng tệp mẫu tải từ trang này."),
        "too_big": lambda: _("Tệp Excel quá lớn khi giải nén (trên %(mb)s MB). Vui lòng chia thành nhiều tệp nhỏ "
                             "hơn.", mb=params.get("mb", mb)),
        "strings": lambda: _("Tệp Excel chứa quá nhiều ô chữ (trên %(max)s). Vui lòng chia thành nhiều tệp nhỏ hơn.",
                             max=limits.max_shared_strings),
        "string_length": lambda: _("Tệp Excel có ô dài quá %(max)s ký tự (giới hạn của Excel).",
                                   max=MAX_CELL_CHARACTERS),
        "too_complex": lambda: _("Không đọc xong tệp Excel trong thời gian cho phép. Vui lòng chia thành nhiều tệp "
                                 "nhỏ hơn hoặc dùng tệp mẫu tải từ trang này."),
    }
    default = lambda: _("Không đọc được tệp Excel: tệp bị hỏng hoặc không đúng định dạng .xlsx.")  # noqa: E731
    return messages.get(code, default)()


class _Refused(Exception):
    """Raised inside the child: the refusal's code and parameters, turned into a message by the parent."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


def _read_in_child(data: bytes, wanted: tuple[str, ...], limits: Limits):
    """Runs in the child: a Book, or (code, params) of a refusal. Plain values only (no translations here)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_parts(archive, limits)
            _check_shared_strings(archive, limits)
        return _read_sheets(data, wanted, limits.max_rows)
    except _Refused as refusal:
        return refusal.code, refusal.params
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, KeyError) as error:
        return ("not_excel" if isinstance(error, zipfile.BadZipFile) else "unreadable"), {}
    except MemoryError:
        raise
    except Exception:  # openpyxl raises many kinds (KeyError, InvalidFileException, XML errors...)
        return "unreadable", {}


def _check_parts(archive: zipfile.ZipFile, limits: Limits) -> None:
    # Declared sizes bound what zipfile will ever inflate (it stops at the declared size and then fails the CRC),
    # so they are a safe zip-bomb check for every part and for the whole.
    entries = archive.infolist()
    if (len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > limits.max_unzipped
            or any(entry.file_size > limits.max_part for entry in entries)):
        raise _Refused("too_big")


SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
CHUNK = 64 * 1024


def _check_shared_strings(archive: zipfile.ZipFile, limits: Limits) -> None:
    """openpyxl reads the whole shared-strings table before the first row, so a small zip holding millions of
    tiny strings would cost a minute and hundreds of MB before the row limit applies. Count them first, streaming
    (expat, no DTD or entity allowed), and stop at the limit."""
    names = {info.filename for info in archive.infolist() if info.filename.lower().endswith("sharedstrings.xml")}
    manifest = "[Content_Types].xml"
    if manifest in archive.namelist():
        def override(name, attributes):
            if _local(name) == "Override" and attributes.get("ContentType") == SHARED_STRINGS_TYPE:
                names.add(attributes.get("PartName", "").lstrip("/"))
        _stream(archive, manifest, limits, start=override)
    for name in sorted(names):
        if name in archive.namelist():
            _count_strings(archive, name, limits)


def _count_strings(archive: zipfile.ZipFile, name: str, limits: Limits) -> None:
    state = {"count": 0, "inside": 0, "length": 0}

    def start(tag, _attributes):
        if _local(tag) == "si":
            state["count"] += 1
            if state["count"] > limits.max_shared_strings:
                raise _Refused("strings")
            state["inside"], state["length"] = 1, 0

    def end(tag):
        if _local(tag) == "si":
            state["inside"] = 0

    def text(content):
        if state["inside"]:
            state["length"] += len(content)
            if state["length"] > MAX_CELL_CHARACTERS:
                raise _Refused("string_length")

    _stream(archive, name, limits, start=start, end=end, text=text)


def _stream(archive: zipfile.ZipFile, name: str, limits: Limits, start=None, end=None, text=None) -> None:
    """Parse one part in chunks, counting the bytes really inflated (capped at the part limit)."""
    parser = expat.ParserCreate()

    def no_dtd(*_args):
        raise _Refused("unreadable")

    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    inflated = 0
    try:
        with archive.open(name) as part:
            while chunk := part.read(CHUNK):
                inflated += len(chunk)
                if inflated > limits.max_part:
                    raise _Refused("too_big")
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        raise _Refused("unreadable") from None


def _local(tag: str) -> str:
    return tag.rpartition(":")[2]


def _read_sheets(data: bytes, wanted: tuple[str, ...], max_rows: int) -> Book:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        worksheets = book.worksheets
        if not worksheets:
            raise _Refused("unreadable")
        chosen = [sheet for sheet in worksheets if header_key(sheet.title) in wanted] or worksheets[:1]
        return Book(list(book.sheetnames), [_read_sheet(sheet, max_rows) for sheet in chosen])
    finally:
        book.close()


def _read_sheet(worksheet, max_rows: int) -> Sheet:
    """Rows streamed one by one; the reading stops at the first data row over the limit."""
    worksheet.reset_dimensions()  # trust the cells, not the declared size (often wrong in generated files)
    sheet = Sheet(worksheet.title, [])
    width = 0
    for number, cells in enumerate(worksheet.iter_rows(min_row=1), start=1):
        if number == 1:
            sheet.header = [cell.value for cell in cells]
            width = max((i + 1 for i, value in enumerate(sheet.header) if _present(value)), default=0)
            continue
        if not any(_present(cell.value) for cell in cells):
            continue
        if len(sheet.rows) == max_rows:
            sheet.too_many = True
            break
        number = next((cell.row for cell in cells if getattr(cell, "row", None)), number)
        kept = cells[:width]  # the columns past the header are never read
        formulas = frozenset(i for i, cell in enumerate(kept) if cell.data_type == "f")
        sheet.rows.append((number, tuple(None if i in formulas else cell.value for i, cell in enumerate(kept)),
                           formulas))
    return sheet


def header_key(text) -> str:
    """Headers match without accents, case, spacing or the hint in brackets: "Ngày sinh (dd/mm/yyyy)" = "ngay sinh"."""
    return fold(re.sub(r"\(.*?\)", " ", str(text or "")))


def sheet_named(book: Book, name: str) -> Sheet | None:
    wanted = header_key(name)
    return next((sheet for sheet in book.sheets if header_key(sheet.title) == wanted), None)


def other_sheets(book: Book, used: list[str]) -> list[str]:
    """Sheets the import does not read (the template's list sheet aside), to tell the user they were ignored."""
    skipped = {header_key(name) for name in used} | {header_key(LISTS_SHEET)}
    return [title for title in book.sheetnames if header_key(title) not in skipped]


def read_table(sheet: Sheet, columns: tuple[Column, ...], max_rows: int, problems: list[Problem]) -> Table | None:
    """The sheet's data rows keyed by column, or None (with problems) when the header row does not match.
    Empty rows are skipped; more than max_rows data rows refuse the whole file."""
    title = sheet.title
    positions, header_problems = _match_header(sheet.header, columns)
    if header_problems:
        problems.extend(Problem(1, "", message, title) for message in header_problems)
        return None
    if sheet.too_many or len(sheet.rows) > max_rows:
        raise FileRefused(_("Tệp có quá nhiều dòng: tối đa %(max)s dòng dữ liệu mỗi lần nhập.", max=max_rows))
    rows = []
    for number, values, formulas in sheet.rows:
        row = Row(number, {})
        for key, position in positions.items():
            if position in formulas:
                problems.append(Problem(number, _header_of(columns, key), _(
                    "Ô chứa công thức; vui lòng nhập giá trị (sao chép rồi dán dạng giá trị)."), title))
                row.refused.add(key)
            row.values[key] = values[position] if position < len(values) else None
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


def template(sheets: list[tuple[str, tuple[Column, ...], tuple[str, ...]]], lists: dict[str, list[str]],
             title: str = "") -> bytes:
    """A workbook with one data sheet per (name, columns, text-formatted column keys) and the "Danh mục" sheet;
    columns naming a list get a dropdown of its values. The header stays in row 1, where the import reads it: the
    title is in the document properties only."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    list_ranges = _write_lists(book, lists)
    for name, columns, text_keys in sheets:
        sheet = book.create_sheet(name, index=len(book.sheetnames) - 1)
        _write_header(sheet, [column.header for column in columns])
        finish_sheet(sheet, keep_header_style=True, widths={i: c.width for i, c in enumerate(columns, start=1)})
        for index, column in enumerate(columns, start=1):
            letter = get_column_letter(index)
            # typed 0912... or 05/03/1970 stays as typed: a date column formatted as a date would let an Excel
            # set to US dates store 05/03/1970 as 3 May without a word; the import reads dd/mm/yyyy text (and
            # real date cells, for pasted ones)
            if column.key in text_keys:
                sheet.column_dimensions[letter].number_format = "@"
            if column.choices in list_ranges:
                validation = DataValidation(type="list", formula1=list_ranges[column.choices], allow_blank=True,
                                            showErrorMessage=True, errorStyle="warning")
                validation.add(f"{letter}2:{letter}{DROPDOWN_ROWS + 1}")
                sheet.add_data_validation(validation)
    book.active = 0
    describe(book, title=title or _("Tệp mẫu nhập dữ liệu"), exported_at=clock.now())
    return _save(book)


def _write_lists(book, lists: dict[str, list[str]]) -> dict[str, str]:
    sheet = book.create_sheet(LISTS_SHEET)
    ranges = {}
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value)
        ranges[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${max(2, len(values) + 1)}"
    _write_header(sheet, list(lists))
    finish_sheet(sheet, keep_header_style=True, widths={
        index: max(16, min(45, max((len(v) for v in values), default=0) + 2))
        for index, values in enumerate(lists.values(), start=1)})
    return ranges


def _write_header(sheet, headers: list[str]) -> None:
    """The header in row 1, white on dark blue (`finish_sheet` then keeps that style, freezes the panes below it
    and repeats it on every printed page)."""
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def report(problems: list[Problem], with_sheet: bool, title: str = "") -> bytes:
    """The error report as a workbook: one line per problem (its row number a number)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Lỗi"
    _write_header(sheet, ([_("Trang tính")] if with_sheet else []) + [_("Dòng"), _("Cột"), _("Lỗi")])
    for problem in problems:
        sheet.append(([problem.sheet] if with_sheet else []) + [problem.row, problem.column, problem.message])
    widths = ([22] if with_sheet else []) + [8, 28, 90]
    finish_sheet(sheet, keep_header_style=True, widths=dict(enumerate(widths, start=1)))
    describe(book, title=title or _("Bảng lỗi nhập dữ liệu"), exported_at=clock.now())
    return _save(book)


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
