"""An OfficialDocument (layout.py) as an editable Word file (python-docx): the same parts as the PDF, in Times New
Roman as Decree 30/2020 asks, so officials can correct the text before signing.

Headings keep with the next paragraph, table header rows repeat on every page and rows do not split, and each
signature block is one table row that does not split, so the names stay with their titles.
"""
import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .layout import MOTTO, NATIONAL_TITLE, SIGN_NOTE, Closing, Heading, OfficialDocument, Paragraph, Table

FONT = "Times New Roman"
BODY_PT = 13
CENTER, LEFT, JUSTIFY, RIGHT = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY,
                                WD_ALIGN_PARAGRAPH.RIGHT)


def _run(paragraph, text: str, size: float = BODY_PT, bold: bool = False, italic: bool = False,
         underline: bool = False):
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
    run.underline = underline
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return run


def _para(container, text: str = "", align=LEFT, keep_with_next: bool = False, space_after: float = 0, **style):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.keep_with_next = keep_with_next
    if text:
        _run(paragraph, text, **style)
    return paragraph


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _row_flags(row, header: bool = False) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))  # repeated at the top of every page


def _clear(cell):
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    return cell


def _header(word, doc: OfficialDocument) -> None:
    table = word.add_table(rows=1, cols=2)
    _no_borders(table)
    table.autofit = False
    left, right = (_clear(c) for c in table.rows[0].cells)
    left.width, right.width = Mm(72), Mm(93)
    if doc.issuer.parent:
        _para(left, doc.issuer.parent.upper(), CENTER, size=12)
    _para(left, doc.issuer.name.upper(), CENTER, size=12, bold=True)
    _para(left, "———", CENTER, size=8)
    _para(left, doc.number_line, CENTER)
    _para(right, NATIONAL_TITLE, CENTER, size=12, bold=True)
    _para(right, MOTTO, CENTER, bold=True, underline=True, space_after=6)
    _para(right, doc.date_line, CENTER, italic=True)
    _para(word, "")


def _title(word, doc: OfficialDocument) -> None:
    if doc.draft:
        _para(word, "DỰ THẢO", RIGHT, keep_with_next=True, bold=True)
    _para(word, doc.kind, CENTER, keep_with_next=True, size=14, bold=True)
    if doc.title:
        _para(word, doc.title, CENTER, keep_with_next=True, size=14, bold=True)
    _para(word, "———", CENTER, keep_with_next=True, space_after=6, size=8)


def _table(word, block: Table) -> None:
    table = word.add_table(rows=1, cols=len(block.headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(block.widths)
    widths = [Mm(165 * w / total) for w in block.widths]
    _row_flags(table.rows[0], header=True)
    for cell, text, width in zip(table.rows[0].cells, block.headings, widths):
        cell.width = width
        _run(cell.paragraphs[0], text, size=12, bold=True)
        cell.paragraphs[0].alignment = CENTER
    for values in block.rows:
        row = table.add_row()
        _row_flags(row)
        for i, (cell, value, width) in enumerate(zip(row.cells, values, widths)):
            cell.width = width
            _run(cell.paragraphs[0], str(value), size=12)
            cell.paragraphs[0].alignment = RIGHT if i in block.numeric else LEFT
    _para(word, "", space_after=3)


def _signature(cell, signature) -> None:
    for text in (signature.capacity, signature.title):
        if text:
            _para(cell, text, CENTER, keep_with_next=True, bold=True)
    _para(cell, SIGN_NOTE, CENTER, keep_with_next=True, italic=True)
    for _ in range(4):
        _para(cell, "", CENTER, keep_with_next=True)
    _para(cell, signature.name, CENTER, bold=True)


def _closing(word, closing: Closing) -> None:
    _para(word, "", keep_with_next=True)
    signatures = closing.signatures
    if closing.recipients and len(signatures) == 1:
        table = word.add_table(rows=1, cols=2)
        _no_borders(table)
        _row_flags(table.rows[0])
        left, right = (_clear(c) for c in table.rows[0].cells)
        left.width, right.width = Mm(74), Mm(91)
        _recipients(left, closing.recipients)
        _signature(right, signatures[0])
        return
    per_row = 3 if len(signatures) >= 3 else max(len(signatures), 1)
    rows = [signatures[i:i + per_row] for i in range(0, len(signatures), per_row)]
    table = word.add_table(rows=len(rows), cols=per_row)
    _no_borders(table)
    for row, chunk in zip(table.rows, rows):
        _row_flags(row)
        for cell, signature in zip(row.cells, chunk):
            _signature(_clear(cell), signature)
    if closing.recipients:
        _recipients(word, closing.recipients)


def _recipients(container, recipients: list[str]) -> None:
    _para(container, "Nơi nhận:", LEFT, keep_with_next=True, size=12, bold=True, italic=True)
    for recipient in recipients:
        _para(container, f"- {recipient}", LEFT, size=11)


def _page_numbers(section) -> None:
    """Decree 30: the page number centred at the top, from the second page on (a PAGE field Word fills in)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    field.append(_run(paragraph, "2")._element)  # the value shown until Word updates the field
    paragraph._p.append(field)


def _blocks(word, body: list) -> None:
    for block in body:
        if isinstance(block, Heading):
            _para(word, block.text, LEFT, keep_with_next=True, space_after=3, bold=True)
        elif isinstance(block, Table):
            _table(word, block)
        elif isinstance(block, Paragraph):
            _para(word, block.text, CENTER if block.centred else JUSTIFY, space_after=4, bold=block.bold,
                  italic=block.italic)


def render(document: OfficialDocument) -> bytes:
    word = Document()
    section = word.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin, section.top_margin, section.bottom_margin = Mm(30), Mm(15), Mm(20), \
        Mm(20)
    normal = word.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    properties = word.core_properties
    properties.title, properties.subject = document.full_title, document.full_title
    properties.author, properties.language = document.issuer.name, "vi-VN"
    properties.keywords = f"{document.symbol} {document.year}"
    _header(word, document)
    _title(word, document)
    _blocks(word, document.body)
    if document.closing is not None:
        _closing(word, document.closing)
    if document.annex:
        word.add_page_break()
        _blocks(word, document.annex)
    _page_numbers(section)
    if document.footer:
        for footer in (section.footer, section.first_page_footer):
            paragraph = footer.paragraphs[0]  # a new section's footer has one empty paragraph
            paragraph.alignment = CENTER
            _run(paragraph, document.footer, size=9, italic=True)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
