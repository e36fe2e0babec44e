"""One very large sheet written straight into an XLSX file as its rows arrive (constant memory, and fast).

XlsxWriter, even in its constant-memory mode, spends several microseconds of Python per cell (type dispatch, checks,
escaping through regular expressions): 30 s for the 150,000 persons of the national export, against the 20 s the
province asked for. This writer knows each column's type beforehand (text, whole number, date), so a row is one
string built with f-strings and streamed into the zip member; the few parts around the sheet are fixed XML.

What the file holds (what openpyxl, Excel and LibreOffice read): one sheet, a bold header row on a tint, frozen
(with the first `frozen_columns` columns), an autofilter over the data, column widths, text as inline strings
(never formulas, so nothing typed can run in the reader's spreadsheet), whole numbers as numbers, dates as real
date cells formatted dd/mm/yyyy, the title, subject and creation time in the document properties, and a print
setup: A4 landscape, fitted to the page width, the header row repeated on every printed page.
"""
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import BinaryIO

from honours.core.clock import PROVINCE_TZ

TEXT, NUMBER, DATE = "text", "number", "date"
EXCEL_EPOCH = date(1899, 12, 30).toordinal()  # serial 1 = 1 January 1900, counting Excel's phantom 29 February 1900
MAX_CELL_TEXT = 32_767  # Excel's limit for the text of a cell
FLUSH_ROWS = 100  # rows joined per write into the compressed stream
# Characters XML 1.0 does not allow (a pasted control character would make Excel refuse the whole file).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The styles below: 0 plain, 1 header, 2 date, 3 whole number.
HEADER_STYLE, DATE_STYLE, NUMBER_STYLE = 1, 2, 3


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT  # TEXT, NUMBER (a whole number) or DATE
    width: int = 18  # characters


def column_letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _escaped(value: str) -> str:
    """`value` as XML text: the characters XML cannot hold dropped, &, < and > escaped."""
    if _NOT_XML.search(value):
        value = _NOT_XML.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(value: str) -> str:
    """A cell's inline text element."""
    value = _escaped(value[:MAX_CELL_TEXT])
    if value[:1].isspace() or value[-1:].isspace():
        return f'<t xml:space="preserve">{value}</t>'
    return f"<t>{value}</t>"


class SheetWriter:
    """`with SheetWriter(out, sheet_name, columns, title=...) as sheet: sheet.write(values)` for each row, in
    order; `values` in the order of `columns` (None or "" leave the cell empty). `out` may be any writable binary
    file (a seekable one gives the smallest zip)."""

    def __init__(self, out: BinaryIO, sheet_name: str, columns: Sequence[Column], *, title: str, subject: str = "",
                 created: datetime, frozen_columns: int = 0, compresslevel: int = 1):
        self.columns, self.sheet_name, self.title, self.subject = list(columns), sheet_name, title, subject
        self.created = created  # naive datetimes are taken as the province's time (honours.core.clock)
        self.frozen_columns = frozen_columns
        self.rows = 0  # data rows written
        self._letters = [column_letter(i) for i in range(len(self.columns))]
        self._zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self._pending: list[str] = []
        self._sheet.write(self._sheet_start().encode())

    def __enter__(self):
        return self

    def __exit__(self, kind, error, trace):
        if kind is None:
            self.close()
        else:
            self._sheet.close()
            self._zip.close()

    def write(self, values: Sequence) -> None:
        self.rows += 1
        number = self.rows + 1  # the header is row 1
        cells = []
        for letter, column, value in zip(self._letters, self.columns, values, strict=True):
            if value is None or value == "":
                continue
            if column.kind == NUMBER:
                cells.append(f'<c r="{letter}{number}" s="{NUMBER_STYLE}"><v>{int(value)}</v></c>')
            elif column.kind == DATE:
                cells.append(f'<c r="{letter}{number}" s="{DATE_STYLE}"><v>{value.toordinal() - EXCEL_EPOCH}</v></c>')
            else:
                cells.append(f'<c r="{letter}{number}" t="inlineStr"><is>{_text(str(value))}</is></c>')
        self._pending.append(f'<row r="{number}">{"".join(cells)}</row>')
        if len(self._pending) >= FLUSH_ROWS:
            self._flush()

    def close(self) -> None:
        self._flush()
        self._sheet.write(self._sheet_end().encode())
        self._sheet.close()
        for name, xml in self._parts().items():
            self._zip.writestr(name, xml)
        self._zip.close()

    # ------------------------------------------------------------ the XML around the rows

    def _flush(self) -> None:
        if self._pending:
            self._sheet.write("".join(self._pending).encode())
            self._pending = []

    @property
    def _last_cell(self) -> str:
        return f"{self._letters[-1]}{self.rows + 1}"

    def _sheet_start(self) -> str:
        top_left = f"{column_letter(self.frozen_columns)}2"
        split_x = f' xSplit="{self.frozen_columns}"' if self.frozen_columns else ""
        widths = "".join(f'<col min="{i}" max="{i}" width="{column.width}" customWidth="1"/>'
                         for i, column in enumerate(self.columns, start=1))
        header = "".join(f'<c r="{letter}1" s="{HEADER_STYLE}" t="inlineStr"><is>{_text(column.header)}</is></c>'
                         for letter, column in zip(self._letters, self.columns, strict=True))
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
                f'<sheetViews><sheetView workbookViewId="0"><pane{split_x} ySplit="1" topLeftCell="{top_left}" '
                'activePane="bottomRight" state="frozen"/></sheetView></sheetViews>'
                f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData>'
                f'<row r="1">{header}</row>')

    def _sheet_end(self) -> str:
        return ('</sheetData>'
                f'<autoFilter ref="A1:{self._last_cell}"/>'
                '<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
                '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
                '</worksheet>')

    def _parts(self) -> dict[str, str]:
        sheet = '"' + _escaped(self.sheet_name).replace('"', "&quot;") + '"'
        quoted = "'" + self.sheet_name.replace("'", "''") + "'"
        created = self.created if self.created.tzinfo else self.created.replace(tzinfo=PROVINCE_TZ)
        created = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        package = "http://schemas.openxmlformats.org/package/2006"
        return {
            "[Content_Types].xml": xml + (
                f'<Types xmlns="{package}/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                '<Override PartName="/xl/styles.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                '<Override PartName="/docProps/core.xml" '
                'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                '<Override PartName="/docProps/app.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
                '</Types>'),
            "_rels/.rels": xml + (
                f'<Relationships xmlns="{package}/relationships">'
                f'<Relationship Id="rId1" Type="{relationships}/officeDocument" Target="xl/workbook.xml"/>'
                f'<Relationship Id="rId2" Type="{package}/relationships/metadata/core-properties" '
                'Target="docProps/core.xml"/>'
                f'<Relationship Id="rId3" Type="{relationships}/extended-properties" Target="docProps/app.xml"/>'
                '</Relationships>'),
            "docProps/core.xml": xml + (
                f'<cp:coreProperties xmlns:cp="{package}/metadata/core-properties" '
                'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                f'<dc:title>{_escaped(self.title)}</dc:title><dc:subject>{_escaped(self.subject)}</dc:subject>'
                '<dc:creator>honours</dc:creator>'
                f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
                '</cp:coreProperties>'),
            "docProps/app.xml": xml + (
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                '<Application>honours</Application></Properties>'),
            "xl/_rels/workbook.xml.rels": xml + (
                f'<Relationships xmlns="{package}/relationships">'
                f'<Relationship Id="rId1" Type="{relationships}/worksheet" Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId2" Type="{relationships}/styles" Target="styles.xml"/>'
                '</Relationships>'),
            "xl/workbook.xml": xml + (
                f'<workbook xmlns="{main}" xmlns:r="{relationships}">'
                f'<sheets><sheet name={sheet} sheetId="1" r:id="rId1"/></sheets>'
                '<definedNames>'
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
                f'{_escaped(quoted)}!$A$1:${self._letters[-1]}${self.rows + 1}</definedName>'
                f'<definedName name="_xlnm.Print_Titles" localSheetId="0">{_escaped(quoted)}!$1:$1</definedName>'
                '</definedNames></workbook>'),
            "xl/styles.xml": xml + (
                f'<styleSheet xmlns="{main}">'
                '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
                '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
                '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
                '<fills count="3"><fill><patternFill patternType="none"/></fill>'
                '<fill><patternFill patternType="gray125"/></fill>'
                '<fill><patternFill patternType="solid"><fgColor rgb="FFE8EEF7"/><bgColor indexed="64"/>'
                '</patternFill></fill></fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" '
                'applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
                '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                '<xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                '</styleSheet>'),
        }
