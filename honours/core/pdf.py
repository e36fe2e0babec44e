"""PDF documents with Vietnamese text: DejaVu Sans (shipped in static/fonts, embedded in every file), tagged
(pdf_tags.py): headings, paragraphs and tables in the structure tree, header line and page numbers as artifacts."""
from pathlib import Path
from typing import NamedTuple

from flask import has_app_context

from .pdf_tags import TaggedPdf

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"
FONT = "DejaVu"


class Image(NamedTuple):
    """An image in a data_table cell (a JPEG/PNG the app wrote itself) and what a screen reader says for it."""
    path: Path
    alt: str


def _language() -> str:
    """The language the text is written in: the reader's (flask-babel), Vietnamese outside a request."""
    if has_app_context():
        from flask_babel import get_locale
        locale = get_locale()
        if locale is not None:
            return locale.language
    return "vi"


class Document(TaggedPdf):
    """An A4 page with the province's header line and page numbers in the footer."""

    def __init__(self, title: str, orientation: str = "portrait"):
        super().__init__(orientation=orientation, format="A4", lang=_language())
        self.title_text = title
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_title(title)
        self.set_author("Ban thư ký Hội đồng xét tôn vinh Trí thức Bắc Ninh tiêu biểu")
        self.set_creator("honours")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)
        self.add_page()

    def header(self):
        self.set_font(FONT, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, "Trí thức Bắc Ninh tiêu biểu", new_x="LMARGIN", new_y="NEXT", align="R")
        self.set_text_color(0)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, f"{self.title_text} · {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)

    def heading(self, text: str, size: int = 14) -> None:
        self.set_font(FONT, "B", size)
        with self.structure("H1" if size >= 14 else "H2"):
            self.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT", align="C")
        self.ln(2)

    def paragraph(self, text: str, size: int = 10, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        with self.structure("P"):
            self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def data_table(self, headings: list[str], rows: list[list[str]], widths: list[float] | None = None) -> None:
        self.set_font(FONT, "", 9)
        with self.table(col_widths=widths, text_align="LEFT", line_height=5) as table:
            header = table.row()
            for text in headings:
                header.cell(text)
            for values in rows:
                row = table.row()
                for value in values:
                    if isinstance(value, Image):  # fitted to the cell
                        self.image_alt(value.path, value.alt)
                        row.cell(img=str(value.path), img_fill_width=True)
                    else:
                        row.cell(str(value))
        self.ln(2)

    def bytes(self) -> bytes:
        return bytes(self.output())
