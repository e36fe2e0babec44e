"""An OfficialDocument (layout.py) as a PDF: A4, margins and type sizes per Decree 30/2020 (Appendix I), Liberation
Serif (metric-compatible with Times New Roman, full Vietnamese coverage, SIL OFL) embedded.

Kept together on a page: a heading with the start of what follows it (a table's header row and first rows), and each
row of signature blocks with its titles, the space to sign and the signers' names. Tables repeat their header row on
every page and wrap text inside padded cells (never clipped). Accessibility: a tagged PDF (honours/core/pdf_tags.py)
with document language "vi", the title in the metadata (shown by viewers instead of the file name), an outline of
the headings and a structure tree: the national header and the document's number and date as paragraphs, its kind
and title as H1, headings as H2, tables as Table > TR > TH/TD, each signature block as a Div of paragraphs and the
recipients as a list; page numbers, the footer and the rules are artifacts.
"""
from pathlib import Path

from fpdf import FontFace

from honours.core.pdf_tags import TaggedPdf

from .layout import MOTTO, NATIONAL_TITLE, SIGN_NOTE, Closing, Heading, OfficialDocument, Paragraph, Table

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
SERIF = "LiberationSerif"
BODY_PT = 13  # Decree 30: 13-14 pt body text
TITLE_PT = 14
TABLE_PT = 12
LINE = 6.2  # mm per body line (13 pt at about 1.35 line spacing)
SIGN_SPACE = 24  # mm left blank for the signature and seal
HEADER_LEFT = 72  # mm: the issuing body's column (narrower if the national title needs it)


class OfficialPdf(TaggedPdf):
    def __init__(self, document: OfficialDocument):
        super().__init__(orientation="portrait", unit="mm", format="A4", lang="vi")
        self.document = document
        self.add_font(SERIF, "", str(FONTS / "LiberationSerif-Regular.ttf"))
        self.add_font(SERIF, "B", str(FONTS / "LiberationSerif-Bold.ttf"))
        self.add_font(SERIF, "I", str(FONTS / "LiberationSerif-Italic.ttf"))
        self.add_font(SERIF, "BI", str(FONTS / "LiberationSerif-BoldItalic.ttf"))
        self.set_title(document.full_title)
        self.set_subject(document.full_title)
        self.set_author(document.issuer.name)
        self.set_creator("honours")
        self.set_keywords(f"{document.symbol} {document.year}")
        self.set_margins(30, 20, 15)  # left 30-35, top 20-25, right 15-20 mm
        self.set_auto_page_break(auto=True, margin=22)
        self.alias_nb_pages()
        self.c_margin = 1

    # ------------------------------------------------------------ page furniture

    def header(self):
        if self.page_no() > 1:  # Decree 30: page numbers centred at the top, from the second page on
            self.set_font(SERIF, "", BODY_PT)
            self.set_y(10)
            self.cell(0, 5, str(self.page_no()), align="C")
            self.set_y(self.t_margin)

    def footer(self):
        if self.document.footer:
            self.set_y(-16)
            self.set_font(SERIF, "I", 9)
            self.set_text_color(70)
            self.multi_cell(0, 4, self.document.footer, align="C")
            self.set_text_color(0)

    # ------------------------------------------------------------ the parts

    def national_header(self) -> None:
        doc = self.document
        top, left = self.t_margin, self.l_margin
        self.set_font(SERIF, "B", 12)
        right_w = max(self.epw - HEADER_LEFT, self.get_string_width(NATIONAL_TITLE) + 4)  # Quốc hiệu on one line
        left_w = self.epw - right_w
        right_x = left + left_w
        self.set_xy(left, top)
        if doc.issuer.parent:
            self.set_font(SERIF, "", 12)
            self._tagged("P", left_w, 5.5, doc.issuer.parent.upper(), align="C")
        self.set_x(left)
        self.set_font(SERIF, "B", 12)
        self._tagged("P", left_w, 5.5, doc.issuer.name.upper(), align="C")
        self._rule(left, left_w, min(left_w * 0.4, 28))
        self.set_xy(left, self.get_y() + 3)
        self.set_font(SERIF, "", BODY_PT)
        self._tagged("P", left_w, LINE, doc.number_line, align="C")
        left_bottom = self.get_y()

        self.set_xy(right_x, top)
        self.set_font(SERIF, "B", 12)
        self._tagged("P", right_w, 5.5, NATIONAL_TITLE, align="C")
        self.set_x(right_x)
        self.set_font(SERIF, "B", BODY_PT)
        self._tagged("P", right_w, LINE, MOTTO, align="C")
        self._rule(right_x, right_w, self.get_string_width(MOTTO))
        self.set_xy(right_x, self.get_y() + 3)
        self.set_font(SERIF, "I", BODY_PT)
        self._tagged("P", right_w, LINE, doc.date_line, align="C")
        self.set_xy(left, max(left_bottom, self.get_y()) + 8)

    def _tagged(self, role: str, *args, **kwargs) -> None:
        """A multi_cell that is one structure element of `role`."""
        with self.structure(role):
            self.multi_cell(*args, **kwargs)

    def _rule(self, x: float, width: float, length: float) -> None:
        y = self.get_y() + 1.2
        self.set_line_width(0.3)
        self.line(x + (width - length) / 2, y, x + (width + length) / 2, y)
        self.set_y(y + 0.6)

    def document_title(self) -> None:
        doc = self.document
        if doc.draft:
            self.set_font(SERIF, "B", BODY_PT)
            with self.structure("P"):
                self.cell(0, LINE, "DỰ THẢO", align="R", new_x="LMARGIN", new_y="NEXT")
        self.set_font(SERIF, "B", TITLE_PT)
        with self.structure("H1"):  # the kind and the title: one heading
            self.multi_cell(0, 7, doc.kind, align="C", new_x="LMARGIN", new_y="NEXT")
            if doc.title:
                self.multi_cell(0, 7, doc.title, align="C", new_x="LMARGIN", new_y="NEXT")
        self._rule(self.l_margin, self.epw, 30)
        self.ln(6)

    def _lines(self, text: str, width: float) -> int:
        return len(self.multi_cell(width, LINE, text, dry_run=True, output="LINES")) or 1

    def _table_start_height(self, table: Table) -> float:
        """The header row and the first two rows: what must follow a heading on its page."""
        self.set_font(SERIF, "B", TABLE_PT)
        total = sum(table.widths)
        height = 0.0
        for values in [table.headings, *table.rows[:2]]:
            lines = max(len(self.multi_cell(self.epw * w / total - 3, 5.5, str(v), dry_run=True, output="LINES"))
                        for v, w in zip(values, table.widths))
            height += lines * 5.5 + 3
        return height

    def _height_of(self, block) -> float:
        if isinstance(block, Table):
            return self._table_start_height(block)
        if isinstance(block, Paragraph):
            self.set_font(SERIF, "B" if block.bold else "", BODY_PT)
            return min(self._lines(block.text, self.epw), 2) * LINE
        if isinstance(block, Heading):
            self.set_font(SERIF, "B", BODY_PT)
            return self._lines(block.text, self.epw) * LINE + 2
        return 0.0

    def heading(self, block: Heading, following) -> None:
        needed = self._height_of(block) + 2 + (self._height_of(following) if following is not None else 0)
        if self.will_page_break(needed):
            self.add_page()
        self.set_font(SERIF, "B", BODY_PT)
        self.start_section(block.text)  # an outline entry (bookmark) per heading
        self.ln(1)
        self._tagged("H2", 0, LINE, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def paragraph(self, block: Paragraph) -> None:
        style = ("B" if block.bold else "") + ("I" if block.italic else "")
        self.set_font(SERIF, style, BODY_PT)
        self._tagged("P", 0, LINE, block.text, align="C" if block.centred else "J", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def data_table(self, block: Table) -> None:
        self.set_font(SERIF, "", TABLE_PT)
        align = tuple("RIGHT" if i in block.numeric else "LEFT" for i in range(len(block.headings)))
        with self.table(col_widths=block.widths, width=self.epw, text_align=align, line_height=5.5, padding=1.5,
                        headings_style=FontFace(emphasis="BOLD"), repeat_headings=1, v_align="TOP") as table:
            header = table.row()
            for text in block.headings:
                header.cell(text, align="CENTER")
            for values in block.rows:
                row = table.row()
                for value in values:
                    row.cell(str(value))
        self.ln(3)

    def closing(self, closing: Closing) -> None:
        signatures = closing.signatures
        if closing.recipients and len(signatures) == 1:
            self._recipients_and_signature(closing)
            return
        per_row = 3 if len(signatures) >= 3 else max(len(signatures), 1)
        for start in range(0, len(signatures), per_row):
            self._signature_row(signatures[start:start + per_row], per_row)
        if closing.recipients:
            self._recipients(self.l_margin, self.epw)

    def _signature_height(self, signature, width: float) -> float:
        self.set_font(SERIF, "B", BODY_PT)
        lines = sum(self._lines(t, width) for t in (signature.capacity, signature.title) if t)
        return lines * LINE + LINE + SIGN_SPACE + LINE + 4

    def _signature_row(self, signatures, per_row: int) -> None:
        width = self.epw / per_row
        height = max(self._signature_height(s, width) for s in signatures)
        if self.will_page_break(height + 6):
            self.add_page()
        self.ln(6)
        top = self.get_y()
        offset = (self.epw - width * len(signatures)) / 2
        name_y = top + height - LINE - 4  # the names side by side on one line, however the titles wrap
        for i, signature in enumerate(signatures):
            self._signature(signature, self.l_margin + offset + i * width, top, width, name_y)
        self.set_xy(self.l_margin, top + height)

    def _signature(self, signature, x: float, top: float, width: float, name_y: float | None = None) -> None:
        with self.structure("Div"):
            self._signature_block(signature, x, top, width, name_y)

    def _signature_block(self, signature, x: float, top: float, width: float, name_y: float | None) -> None:
        self.set_xy(x, top)
        self.set_font(SERIF, "B", BODY_PT)
        for text in (signature.capacity, signature.title):
            if text:
                self.set_x(x)
                self._tagged("P", width, LINE, text, align="C", new_x="LEFT", new_y="NEXT")
        self.set_x(x)
        self.set_font(SERIF, "I", BODY_PT)
        self._tagged("P", width, LINE, SIGN_NOTE, align="C", new_x="LEFT", new_y="NEXT")
        self.set_xy(x, name_y if name_y is not None else self.get_y() + SIGN_SPACE)
        self.set_font(SERIF, "B", BODY_PT)
        self._tagged("P", width, LINE, signature.name or " ", align="C", new_x="LEFT", new_y="NEXT")

    def _recipients_height(self, width: float) -> float:
        self.set_font(SERIF, "", 11)
        return 6 + sum(len(self.multi_cell(width, 5, f"- {r}", dry_run=True, output="LINES"))
                       for r in self.document.closing.recipients) * 5

    def _recipients(self, x: float, width: float) -> None:
        self.set_x(x)
        self.set_font(SERIF, "BI", 12)
        with self.structure("P"):
            self.cell(width, 6, "Nơi nhận:", new_x="LEFT", new_y="NEXT")
        self.set_font(SERIF, "", 11)
        with self.structure("L"):
            for recipient in self.document.closing.recipients:
                self.set_x(x)
                with self.structure("LI"):
                    self._tagged("LBody", width, 5, f"- {recipient}", new_x="LEFT", new_y="NEXT")

    def _recipients_and_signature(self, closing: Closing) -> None:
        """Decree 30: "Nơi nhận" at the left, the signature at the right, side by side."""
        left_w, right_w = self.epw * 0.45, self.epw * 0.55
        signature = closing.signatures[0]
        height = max(self._signature_height(signature, right_w), self._recipients_height(left_w))
        if self.will_page_break(height + 6):
            self.add_page()
        self.ln(6)
        top = self.get_y()
        self._signature(signature, self.l_margin + left_w, top, right_w)
        self.set_xy(self.l_margin, top + LINE)
        self._recipients(self.l_margin, left_w)
        self.set_xy(self.l_margin, top + height)


def render(document: OfficialDocument) -> bytes:
    pdf = OfficialPdf(document)
    pdf.add_page()
    pdf.national_header()
    pdf.document_title()
    _blocks(pdf, document.body)
    if document.closing is not None:
        pdf.closing(document.closing)
    if document.annex:
        pdf.add_page()
        _blocks(pdf, document.annex)
    return bytes(pdf.output())


def _blocks(pdf: OfficialPdf, body: list) -> None:
    for i, block in enumerate(body):
        if isinstance(block, Heading):
            pdf.heading(block, body[i + 1] if i + 1 < len(body) else None)
        elif isinstance(block, Table):
            pdf.data_table(block)
        else:
            pdf.paragraph(block)
