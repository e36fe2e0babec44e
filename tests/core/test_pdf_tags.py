"""The tagged-PDF layer (honours/core/pdf_tags.py, issue 15): nested structure elements, marked content per page part
with a parent tree that agrees, page furniture and repeated table headers as artifacts, figures with their
alternative text, the language of the text. The PDFs of the app are checked in test_pdf_tags_routes.py and in
tests/documents, tests/certificates."""
import io

import pytest
from flask_babel import force_locale
from fpdf import FPDF
from PIL import Image as PILImage
from pypdf import PdfReader
from pypdf.generic import ContentStream

from honours.core.pdf import Document, Image
from honours.core.pdf_tags import TaggedPdf, UntaggedContent
from tests.pdf_tags import _kids, check_tagged

VIETNAMESE = "Trí thức tiêu biểu có dấu ơ ư ạ ặ ễ"


def _document() -> bytes:
    document = Document("Thử nghiệm gắn thẻ")
    document.heading("Tiêu đề chính")
    document.heading("Tiêu đề phụ", size=11)
    document.paragraph(("Đoạn văn rất dài. " + VIETNAMESE + ". ") * 120)  # runs over a page
    document.data_table(["Cột A", "Cột B"], [[f"Dòng {i}", "ô " * 30] for i in range(70)], [40, 134])
    return document.bytes()


def _elements_with_pages(tagged, role: str) -> list[set[int]]:
    """For each element of `role`, the pages its marked-content items are on."""
    result = []
    for element in tagged.of_role(role):
        pages = set()
        for kid in _kids(element):
            kid = kid.get_object()
            if isinstance(kid, int):  # an MCID on the element's /Pg
                pages.add(element.raw_get("/Pg").idnum)
            elif isinstance(kid, dict) and kid.get("/Type") == "/MCR":
                pages.add(kid.raw_get("/Pg").idnum)
        result.append(pages)
    return result


def test_a_document_has_headings_paragraphs_and_a_nested_table_and_keeps_its_text():
    tagged = check_tagged(_document())
    assert len(tagged.reader.pages) >= 3
    assert tagged.roles[:3] == ["H1", "H2", "P"]
    assert {"Table", "TR", "TH", "TD"} <= set(tagged.roles)
    table = tagged.of_role("Table")[0]
    assert set(tagged.kids_roles(table)) == {"TR"} and len(tagged.kids_roles(table)) == 71
    first_row, second_row = (kid.get_object() for kid in list(table["/K"])[:2])
    assert tagged.kids_roles(first_row) == ["TH", "TH"] and tagged.kids_roles(second_row) == ["TD", "TD"]
    header = tagged.of_role("TH")[0]
    assert header["/A"]["/Scope"] == "/Column" and header["/A"]["/O"] == "/Table"
    text = " ".join(tagged.text.split())
    assert "Tiêu đề chính" in text and VIETNAMESE in text and "Dòng 69" in text
    assert tagged.reader.metadata.title == "Thử nghiệm gắn thẻ"


def test_a_paragraph_running_over_a_page_owns_a_marked_part_on_each_page():
    tagged = check_tagged(_document())
    assert max(len(pages) for pages in _elements_with_pages(tagged, "P")) == 2


def test_header_rows_repeated_on_later_pages_are_artifacts_not_more_header_cells():
    tagged = check_tagged(_document())
    table_pages = set().union(*_elements_with_pages(tagged, "TD"))
    assert len(table_pages) >= 2
    later = [page for page in tagged.reader.pages if page.indirect_reference.idnum in table_pages][-1]
    assert "Cột A" in later.extract_text()  # the header row is printed again there...
    assert len(tagged.of_role("TH")) == 2  # ...but read once


class _Plain(TaggedPdf):
    """Core-font text, so the content stream shows which strings are in which sequence."""

    def header(self):
        self.set_font("helvetica", "", 8)
        self.cell(0, 5, "RUNNING HEADER", new_x="LMARGIN", new_y="NEXT")

    def footer(self):
        self.set_y(-12)
        self.set_font("helvetica", "", 8)
        self.cell(0, 5, f"PAGE {self.page_no()}", align="C")


def _strings_by_sequence(data: bytes) -> dict[str, list[str]]:
    """Each shown string, with the tag of the sequence it is in."""
    reader = PdfReader(io.BytesIO(data))
    found: dict[str, list[str]] = {}
    for page in reader.pages:
        tags = []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"BDC", b"BMC"):
                tags.append(str(operands[0]))
            elif operator == b"EMC":
                tags.pop()
            elif operator == b"Tj":
                found.setdefault(tags[-1] if tags else "none", []).append(str(operands[0]))
    return found


def _plain() -> bytes:
    pdf = _Plain()
    pdf.set_title("Plain")
    pdf.add_page()
    pdf.set_font("helvetica", "", 11)
    for i in range(80):
        with pdf.structure("P"):
            pdf.cell(0, 6, f"BODY {i}", new_x="LMARGIN", new_y="NEXT")
    pdf.line(20, 200, 100, 200)
    return bytes(pdf.output())


def test_running_header_and_page_numbers_are_artifacts_and_the_body_is_tagged():
    data = _plain()
    check_tagged(data)
    strings = _strings_by_sequence(data)
    assert set(strings) == {"/Artifact", "/P"}
    assert all(s.startswith(("RUNNING", "PAGE")) for s in strings["/Artifact"])
    assert sorted(strings["/P"]) == sorted(f"BODY {i}" for i in range(80))
    assert len([s for s in strings["/Artifact"] if s.startswith("PAGE")]) == len(PdfReader(io.BytesIO(data)).pages)


def test_rules_and_borders_are_artifacts():
    reader = PdfReader(io.BytesIO(_plain()))
    page = reader.pages[-1]
    tags = []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator in (b"BDC", b"BMC"):
            tags.append(str(operands[0]))
        elif operator == b"EMC":
            tags.pop()
        elif operator in (b"l", b"S", b"re"):
            assert tags == ["/Artifact"]


def _png(path) -> str:
    PILImage.new("RGB", (40, 50), (200, 30, 30)).save(path)
    return path


def test_images_are_figures_with_their_alternative_text(tmp_path):
    document = Document("Ảnh")
    document.data_table(["Ảnh", "Họ và tên"], [[Image(_png(tmp_path / "a.png"), "Ảnh của Nguyễn Văn An"),
                                               "Nguyễn Văn An"]], [30, 144])
    document.image(_png(tmp_path / "b.png"), w=20, alt_text="Biểu trưng")
    tagged = check_tagged(document.bytes())
    in_cell, alone = tagged.of_role("Figure")
    assert in_cell["/Alt"] == "Ảnh của Nguyễn Văn An" and in_cell["/P"]["/S"] == "/TD"
    assert alone["/Alt"] == "Biểu trưng" and alone["/P"]["/S"] == "/Document"


def test_text_outside_any_element_is_refused_in_strict_mode_and_a_paragraph_otherwise(monkeypatch):
    def untagged() -> bytes:
        pdf = TaggedPdf()
        pdf.set_title("Untagged")
        pdf.add_page()
        pdf.set_font("helvetica", "", 11)
        pdf.cell(0, 6, "LOOSE TEXT")
        return bytes(pdf.output())

    assert _strings_by_sequence(untagged()) == {"/P": ["LOOSE TEXT"]}
    monkeypatch.setattr(TaggedPdf, "strict", True)
    with pytest.raises(UntaggedContent):
        untagged()


def test_the_check_fails_on_an_untagged_pdf_and_on_text_outside_marked_content():
    plain = FPDF()
    plain.set_title("Plain")
    plain.add_page()
    plain.set_font("helvetica", "", 11)
    plain.cell(0, 6, "TEXT")
    with pytest.raises((AssertionError, KeyError)):
        check_tagged(bytes(plain.output()))

    pdf = TaggedPdf()
    pdf.set_title("Leak")
    pdf.add_page()
    pdf.set_font("helvetica", "", 11)
    with pdf.structure("P"):
        pdf.cell(0, 6, "TAGGED", new_x="LMARGIN", new_y="NEXT")
    pdf._end_sequence()
    FPDF._out(pdf, "BT 20 20 Td (LEAK) Tj ET")  # written behind the layer's back
    with pytest.raises(AssertionError, match="outside a marked-content sequence"):
        check_tagged(bytes(pdf.output()))


def test_the_language_is_the_one_the_text_is_written_in(app):
    assert check_tagged(Document("Không có yêu cầu").bytes(), lang="vi")
    with app.test_request_context("/"):
        assert check_tagged(Document("Tiếng Việt").bytes(), lang="vi")
        with force_locale("en"):
            document = Document("In English")
            document.paragraph("Personal data")
            assert check_tagged(document.bytes(), lang="en")
