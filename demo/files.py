"""The demo's sample attachments: a one-page PDF per document (fpdf2) and a grey placeholder portrait (Pillow).

The PDFs are set in Helvetica, a standard PDF font that is never embedded and has no Vietnamese letters, so the
text is folded to ASCII: the files only need to be real, small and valid (the app's own documents embed DejaVu,
see honours.pdf).
"""
import io
import unicodedata

from fpdf import FPDF
from PIL import Image

from honours.core import clock

PORTRAIT_GREY = (180, 186, 194)


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    return text.encode("ascii", "replace").decode("ascii")


def sample_pdf(lines: list[str]) -> bytes:
    """One A4 page, a line of 12 pt Helvetica per item from the top left (72 pt in, 16 pt apart)."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.pdf_version = "1.4"  # what the demo's files have always declared; fpdf2 would say 1.3 for a page of text
    # The moment the seeder pinned, not the wall clock: seeding twice at the same moment gives the same bytes.
    pdf.set_creation_date(clock.now().replace(tzinfo=clock.PROVINCE_TZ))
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for number, line in enumerate(lines):
        pdf.text(72, 62 + 16 * number, _ascii(line))
    return bytes(pdf.output())


def sample_png(size: int = 24) -> bytes:
    """A small grey square standing in for a portrait."""
    image = io.BytesIO()
    Image.new("RGB", (size, size), PORTRAIT_GREY).save(image, format="PNG")
    return image.getvalue()


def sample_portrait(seed: int, width: int = 600, height: int = 750) -> bytes:
    """A stylised portrait (a head and shoulders on a coloured background), a JPEG a camera might give: the app
    re-encodes it for publication. Reproducible from `seed`."""
    from PIL import ImageDraw

    backgrounds = ((196, 214, 232), (222, 206, 190), (206, 226, 210), (230, 214, 224), (214, 214, 234))
    clothes = ((40, 62, 96), (92, 44, 48), (46, 84, 64), (70, 70, 78), (110, 84, 40))
    image = Image.new("RGB", (width, height), backgrounds[seed % len(backgrounds)])
    draw = ImageDraw.Draw(image)
    centre = width // 2
    draw.ellipse((centre - 230, height - 260, centre + 230, height + 220), fill=clothes[seed % len(clothes)])
    draw.rectangle((centre - 45, height - 330, centre + 45, height - 230), fill=(226, 190, 160))
    draw.ellipse((centre - 120, 150, centre + 120, height - 290), fill=(236, 200, 170))
    draw.chord((centre - 128, 130, centre + 128, 380), 180, 360, fill=(40, 34, 30))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=88)
    return out.getvalue()
