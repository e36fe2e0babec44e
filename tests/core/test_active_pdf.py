"""Hostile attachments (issue 10, finding 13): a PDF that carries JavaScript, a launch action, an embedded file or
other active content is refused, wherever the object hides (#-escaped names, compressed object streams); a file
name with bidirectional controls or other invisible characters is refused; a download always ends in the
extension of the type sniffed from the content."""
import io
import os
import struct
import zlib

import pytest
from pypdf import PdfWriter
from pypdf.actions import JavaScript as JavaScriptAction

from honours.core import pdf_content, roles
from honours.core import storage as attachments
from honours.core.errors import RuleViolation
from tests.conftest import login
from tests.core.test_uploads_hardening import pdf_bytes, post_file, stored_attachments
from tests.factories import PDF, PNG, make_dossier, make_org, make_round, make_user

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def handmade_pdf(objects: list[bytes], packed: tuple[int, ...] = ()) -> bytes:
    """A PDF of the given object bodies (object n is objects[n - 1]); the numbers in `packed` go into one
    compressed object stream, listed by a cross-reference stream, as modern writers do."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in enumerate(objects, start=1):
        if number not in packed:
            offsets[number] = len(out)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    stream_number = len(objects) + 1
    xref_number = stream_number + 1
    if packed:
        header, data = b"", b""
        for number in packed:
            header += b"%d %d " % (number, len(data))
            data += objects[number - 1] + b"\n"
        content = zlib.compress(header + data)
        offsets[stream_number] = len(out)
        out += (b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
                % (stream_number, len(packed), len(header), len(content)) + content + b"\nendstream\nendobj\n")
    offsets[xref_number] = len(out)
    rows = b"\x00" + struct.pack(">IH", 0, 0xFFFF)
    for number in range(1, xref_number + 1):
        if number in packed:
            rows += b"\x02" + struct.pack(">IH", stream_number, packed.index(number))
        elif number in offsets:
            rows += b"\x01" + struct.pack(">IH", offsets[number], 0)
        else:
            rows += b"\x00" + struct.pack(">IH", 0, 0)
    out += (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
            % (xref_number, xref_number + 1, len(rows)) + rows + b"\nendstream\nendobj\n")
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def with_catalog(catalog: bytes, *extra: bytes, page: bytes = PAGE, packed=()) -> bytes:
    return handmade_pdf([catalog, PAGES, page, *extra], packed)


def pypdf_file(build) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


JAVASCRIPT = "mã chạy tự động (JavaScript)"
LAUNCH = "lệnh mở chương trình khác (Launch)"
EMBEDDED = "tệp khác được nhúng bên trong"
ACTIVE = "thao tác tự động, biểu mẫu động hoặc nội dung đa phương tiện"
JS_ACTION = b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"

# The JavaScript action packed in a compressed object stream: the bytes of the file never spell its name.
PACKED_JS = with_catalog(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", JS_ACTION, packed=(4,))
HOSTILE = [
    (pypdf_file(lambda w: w.add_open_action(JavaScriptAction("app.alert('xin chao');"))), JAVASCRIPT),
    (with_catalog(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", JS_ACTION), JAVASCRIPT),
    (with_catalog(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
                  b"<< /S /J#61va#53cript /J#53 (app.alert\\(1\\)) >>"), JAVASCRIPT),  # #-escaped names
    (PACKED_JS, JAVASCRIPT),
    (with_catalog(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
                  b"<< /S /Launch /F (cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >>"), LAUNCH),
    (with_catalog(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
                  b"<< /S /L#61unch /F (run.sh) >>", packed=(4,)), LAUNCH),
    (pypdf_file(lambda w: w.add_attachment("hoa-don.html", b"<script>alert(1)</script>")), EMBEDDED),
    (with_catalog(CATALOG, b"<< /S /GoTo /D [3 0 R /Fit] >>",  # additional actions on opening the page
                  page=b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /AA << /O 4 0 R >> >>"), ACTIVE),
    (with_catalog(b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> >>",
                  b"<< /Length 0 >>\nstream\n\nendstream"), ACTIVE),
]


@pytest.fixture
def setup(app, client):
    org = make_org()
    nominator = make_user(roles.NOMINATOR, org)
    dossier = make_dossier(make_round(), org, nominator, with_attachment=False)
    login(client, nominator)
    return {"dossier": dossier}


@pytest.mark.parametrize("data,problem", HOSTILE)
def test_a_pdf_with_active_content_is_refused_naming_the_problem(setup, client, app, data, problem):
    page = post_file(client, setup["dossier"], data, "minh-chung.pdf")
    assert f"Tệp PDF &#34;minh-chung.pdf&#34; chứa {problem} nên không được chấp nhận" in page, page[:3000]
    assert stored_attachments(setup["dossier"]) == []
    assert os.listdir(app.config["UPLOAD_FOLDER"]) == []


def test_the_object_stream_case_is_found_by_structure_not_by_bytes(app):
    """The packed JavaScript cannot be seen by scanning bytes: only inspecting the parsed objects finds it."""
    assert b"JavaScript" not in PACKED_JS and b"/JS" not in PACKED_JS
    with pytest.raises(RuleViolation) as refused:
        attachments.store(io.BytesIO(PACKED_JS), "nen.pdf", room_left=10 * 1024 * 1024)
    assert JAVASCRIPT in refused.value.message


def test_ordinary_pdfs_with_links_and_an_opening_view_are_accepted(setup, client):
    ordinary = with_catalog(
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>",
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 20] /A << /S /URI /URI (https://bacninh.gov.vn) >> >>",
        page=b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>", packed=(3, 4))
    for data, name in ((ordinary, "lien-ket.pdf"), (PDF, "cv.pdf"), (pdf_bytes(pages=2), "hai-trang.pdf")):
        assert "Đã tải lên tệp" in post_file(client, setup["dossier"], data, name), name


def test_a_pdf_too_complex_to_inspect_is_refused_not_a_crash(setup, client, monkeypatch):
    monkeypatch.setattr(pdf_content, "MAX_OBJECTS", 2)
    page = post_file(client, setup["dossier"], PDF, "nhieu-doi-tuong.pdf")
    assert "quá phức tạp để kiểm tra an toàn" in page
    monkeypatch.setattr(pdf_content, "MAX_OBJECTS", 100_000)
    monkeypatch.setattr(pdf_content, "SECONDS", -1)  # the time budget is already spent
    page = post_file(client, setup["dossier"], PDF, "cham.pdf")
    assert "quá phức tạp để kiểm tra an toàn" in page
    assert stored_attachments(setup["dossier"]) == []


# ---------------------------------------------------------------- names

@pytest.mark.parametrize("name", [
    "ho-so-\u202efdp.html",  # right-to-left override: shows "ho-so-lmth.pdf"
    "\u2067cv\u2069.pdf", "cv\u200f.pdf", "cv\u061c.pdf", "cv\u200b.pdf", "cv\u0085.pdf", "cv\u2028.pdf",
])
def test_a_name_with_bidirectional_or_invisible_characters_is_refused(setup, client, app, name):
    page = post_file(client, setup["dossier"], PDF, name)
    assert "Tên tệp chứa ký tự ẩn hoặc ký tự đảo chiều chữ" in page
    assert stored_attachments(setup["dossier"]) == []
    assert os.listdir(app.config["UPLOAD_FOLDER"]) == []


def test_the_download_name_ends_in_the_sniffed_type(setup, client):
    for data, name in ((PDF, "ho-so.html"), (PNG, "anh"), (PDF, "Lý lịch.PDF"), (PNG, "chan-dung.png")):
        assert "Đã tải lên tệp" in post_file(client, setup["dossier"], data, name)
    names = []
    for attachment in stored_attachments(setup["dossier"]):
        response = client.get(f"/dossiers/attachments/{attachment.id}")
        names.append(response.headers["Content-Disposition"])
    assert names[0] == "attachment; filename=ho-so.html.pdf"
    assert names[1] == "attachment; filename=anh.png"
    assert names[2].endswith("filename*=UTF-8''L%C3%BD%20l%E1%BB%8Bch.PDF")
    assert names[3] == "attachment; filename=chan-dung.png"
