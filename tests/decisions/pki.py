"""The tests' certification authorities (one trusted, one not) with a signer each, generated once per process (the
slow part), and PDFs signed (demo/pki.py), modified after signing or tampered with (pyHanko)."""
import io
from dataclasses import dataclass
from functools import cache

from fpdf import FPDF

from demo.pki import PASSWORD, Identity, make_ca, make_signer, pkcs12_bytes, sign  # noqa: F401


@dataclass(frozen=True)
class World:
    trusted_ca: Identity
    province: Identity  # signed by trusted_ca
    other_ca: Identity
    outsider: Identity  # signed by other_ca


@cache
def world() -> World:
    trusted = make_ca("CA thử nghiệm tin cậy")
    other = make_ca("CA thử nghiệm không tin cậy")
    return World(trusted, make_signer(trusted, "Chủ tịch UBND tỉnh"), other, make_signer(other, "Người lạ"))


def modified_after_signing(signed: bytes) -> bytes:
    """An incremental update replacing the first page's content: the signed revision is intact, the document
    shown is not what was signed."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 720 Td (GIA MAO) Tj ET"))
    writer.update_container(page)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def tampered(signed: bytes) -> bytes:
    """One byte of the signed range changed in place (a digit of the creation date): the digest no longer
    matches."""
    position = signed.index(b"/CreationDate (D:") + len(b"/CreationDate (D:")
    digit = b"1" if signed[position:position + 1] != b"1" else b"2"
    return signed[:position] + digit + signed[position + 1:]


def simple_pdf(text: str = "Quyet dinh so 12/QD-UBND") -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text=text)
    return bytes(pdf.output())
