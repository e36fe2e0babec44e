"""An official document laid out per Decree 30/2020/NĐ-CP (Appendix I), shared by the PDF and the Word renderer.

A document is data: the issuing body (its parent body above it), the document's number and symbol, the place and
date line, the kind and title, the body (headings, paragraphs, tables) and the closing (the signature blocks, each
with its signer's capacity, title and full name, and the recipients). pdf.py and docx.py only draw it, so both files
say the same thing in the same order.

Official documents of the province are always in Vietnamese, whatever language the reader chose for the interface,
so their text does not go through the translation catalogue.
"""
from dataclasses import dataclass, field
from datetime import date

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"  # Quốc hiệu
MOTTO = "Độc lập - Tự do - Hạnh phúc"  # Tiêu ngữ
BLANK_NUMBER = "      "  # the clerk (văn thư) writes the number in when the document is registered
SIGN_NOTE = "(Ký, ghi rõ họ tên)"


@dataclass(frozen=True)
class Issuer:
    parent: str  # the body the issuer belongs to ("" for a body at the top, such as the provincial committee)
    name: str


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    centred: bool = False


@dataclass(frozen=True)
class Table:
    headings: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative column widths
    numeric: frozenset[int] = frozenset()  # columns aligned right


@dataclass(frozen=True)
class Signature:
    title: str  # "CHỦ TỊCH HỘI ĐỒNG", "THƯ KÝ", "TRƯỞNG BAN KIỂM PHIẾU"
    name: str  # "" leaves the line for the signer to write in
    capacity: str = ""  # "TM. HỘI ĐỒNG", "KT. CHỦ TỊCH" (the signing authority, above the title)


@dataclass(frozen=True)
class Closing:
    signatures: list[Signature]
    recipients: list[str] = field(default_factory=list)  # "Nơi nhận"; printed left of a single signature


@dataclass
class OfficialDocument:
    issuer: Issuer
    symbol: str  # "BB-HĐXT": the number is "Số: …/BB-HĐXT"
    kind: str  # "BIÊN BẢN", "TỜ TRÌNH", "QUYẾT ĐỊNH", "THÔNG BÁO"
    title: str  # what it is about, under the kind
    place: str
    day: date | None  # None: the day is left blank for the signer ("ngày    tháng    năm 2026")
    year: int
    body: list = field(default_factory=list)
    closing: Closing | None = None
    annex: list = field(default_factory=list)  # blocks on pages of their own after the closing ("danh sách kèm theo")
    number: str = ""  # "" leaves the number blank
    footer: str = ""  # printed on every page: the sha256 of the confirmed result it was rendered from
    draft: bool = False  # "DỰ THẢO" above the kind
    file_stem: str = "van-ban"

    @property
    def number_line(self) -> str:
        if self.number:
            return f"Số: {self.number}" if "/" in self.number else f"Số: {self.number}/{self.symbol}"
        return f"Số: {BLANK_NUMBER}/{self.symbol}"

    @property
    def date_line(self) -> str:
        return place_and_date(self.place, self.day, self.year)

    @property
    def full_title(self) -> str:
        return f"{self.kind} {self.title}".strip()


def place_and_date(place: str, day: date | None, year: int) -> str:
    """Decree 30: days below 10 and the months January and February are written with a leading zero."""
    if day is None:
        return f"{place}, ngày      tháng      năm {year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"
