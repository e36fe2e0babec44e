"""Uploads are parsed before they are kept: encrypted or broken PDFs and image bombs are refused with a clear
Vietnamese message and leave nothing on disk; stored files go out as downloads with nosniff."""
import io
import os
import struct
import zlib

import pytest
from PIL import Image
from pypdf import PdfWriter
from sqlalchemy import select

from honours.core import roles
from honours.core import storage as attachments
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.nominations.models import Attachment
from tests.access import access_rules_publication
from tests.conftest import login
from tests.factories import PDF, PNG, make_dossier, make_org, make_round, make_user


def pdf_bytes(pages: int = 1, user_password: str | None = None, owner_password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if user_password is not None:
        writer.encrypt(user_password, owner_password)  # RC4-128: an /Encrypt dictionary in the trailer
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_bytes(size=(16, 16), image_format="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, image_format)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A well-formed PNG header announcing a huge image, with no pixel data at all: a few dozen bytes that
    would make a naive decoder allocate width x height x 3 bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


ENCRYPTED = "được đặt mật khẩu hoặc mã hoá"
BROKEN_PDF = "không phải tệp PDF hợp lệ"
NO_PAGES = "không có trang nào"
TOO_BIG = "có kích thước quá lớn"
BROKEN_IMAGE = "không phải ảnh JPEG hoặc PNG hợp lệ"


@pytest.fixture
def setup(app, client):
    round_ = make_round()
    org = make_org()
    nominator = make_user(roles.NOMINATOR, org)
    dossier = make_dossier(round_, org, nominator, with_attachment=False)
    login(client, nominator)
    return {"round": round_, "org": org, "nominator": nominator, "dossier": dossier}


def post_file(client, dossier, data: bytes, name: str, kind="evidence") -> str:
    response = client.post(f"/dossiers/{dossier.id}/attachments",
                           data={"kind": kind, "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code in (200, 422)  # a refused upload answers the dossier page itself (choices kept)
    return response.get_data(as_text=True)


def stored_attachments(dossier) -> list[Attachment]:
    return db.session.scalars(select(Attachment).where(Attachment.dossier_id == dossier.id)).all()


def png_with_bad_checksum() -> bytes:
    data = bytearray(image_bytes())
    data[29] ^= 0xFF  # the IHDR chunk's CRC
    return bytes(data)


PDF_TRUNCATED = PDF[: len(PDF) // 2]
JPEG = image_bytes((64, 48), "JPEG")


@pytest.mark.parametrize("data,name,message", [
    (pdf_bytes(user_password="mat-khau-2026"), "ly-lich.pdf", ENCRYPTED),
    (pdf_bytes(user_password="", owner_password="chu-so-huu"), "chi-han-che-in.pdf", ENCRYPTED),
    (PDF_TRUNCATED, "bi-cat.pdf", BROKEN_PDF),
    (b"%PDF-1.7\n" + b"rac " * 200, "gia-mao.pdf", BROKEN_PDF),
    (pdf_bytes(pages=0), "trang-trang.pdf", NO_PAGES),
    (png_claiming(100_000, 100_000), "bom.png", TOO_BIG),  # 10 gigapixels: Pillow's own bomb limit
    (png_claiming(8_000, 6_000), "anh-48mp.png", TOO_BIG),  # 48 megapixels: under Pillow's limit, over ours
    (png_with_bad_checksum(), "hong.png", BROKEN_IMAGE),
    (PNG[:-20], "cut.png", BROKEN_IMAGE),
    (JPEG[: len(JPEG) // 2], "cut.jpg", BROKEN_IMAGE),
])
def test_unsafe_or_broken_files_are_refused_and_leave_nothing(setup, client, app, data, name, message):
    page = post_file(client, setup["dossier"], data, name)
    assert message in page, page[:3000]
    assert name in page  # the message names the file
    assert stored_attachments(setup["dossier"]) == []
    assert os.listdir(app.config["UPLOAD_FOLDER"]) == []


def test_sound_files_are_accepted(setup, client):
    for data, name in ((pdf_bytes(pages=3), "ba-trang.pdf"), (PDF + b"\n% a trailing comment\n", "cuoi.pdf"),
                       (JPEG, "chan-dung.jpg"), (image_bytes((1200, 1600)), "anh.png")):
        page = post_file(client, setup["dossier"], data, name)
        assert "Đã tải lên tệp" in page, name
    assert [a.original_name for a in stored_attachments(setup["dossier"])] == [
        "ba-trang.pdf", "cuoi.pdf", "chan-dung.jpg", "anh.png"]


def test_the_pixel_limit_comes_from_the_configuration(setup, client, app):
    app.config["MAX_IMAGE_PIXELS"] = 500_000
    refused = post_file(client, setup["dossier"], image_bytes((1000, 600)), "lon.png")
    assert TOO_BIG in refused and "0.5 triệu điểm ảnh" in refused
    accepted = post_file(client, setup["dossier"], image_bytes((700, 700)), "vua.png")
    assert "Đã tải lên tệp" in accepted
    assert [a.original_name for a in stored_attachments(setup["dossier"])] == ["vua.png"]


def test_store_itself_refuses_for_every_feature_that_reuses_it(app):
    """Other features (talent referrals) store their files through attachments.store(): same checks."""
    for data, message in ((pdf_bytes(user_password="x"), ENCRYPTED), (png_claiming(100_000, 100_000), TOO_BIG)):
        with pytest.raises(RuleViolation) as refused:
            attachments.store(io.BytesIO(data), "tep.bin", room_left=10 * 1024 * 1024)
        assert message in refused.value.message
    assert os.listdir(app.config["UPLOAD_FOLDER"]) == []
    kept = attachments.store(io.BytesIO(PNG), "anh.png", room_left=10 * 1024 * 1024)
    assert kept.content_type == "image/png" and os.path.exists(attachments.path_for(kept.stored_name))


# ---------------------------------------------------------------- serving stored files

def test_dossier_files_are_always_downloads_never_rendered(setup, client):
    """Even a picture attached to a dossier is a download: the browser never renders an uploaded file in our
    origin, and nosniff stops it guessing a type from the content."""
    for data, name in ((PDF, "cv.pdf"), (PNG, "anh.png")):
        post_file(client, setup["dossier"], data, name)
    for attachment in stored_attachments(setup["dossier"]):
        response = client.get(f"/dossiers/attachments/{attachment.id}")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.mimetype == attachment.content_type
        assert "private" in response.headers["Cache-Control"]
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_public_portrait_is_inline_but_only_as_an_image_with_nosniff(app):
    """The one file shown inline: a published portrait on the public pages, only ever image/jpeg or image/png
    (anything else 404s, tests/publication/test_publication.py), never sniffed."""
    org = make_org()
    users = {roles.SECRETARIAT: make_user(roles.SECRETARIAT), roles.NOMINATOR: make_user(roles.NOMINATOR, org)}
    world = {"organisation": org, "users": users, "round": make_round(name="Đợt đang mở")}
    photo_id = access_rules_publication.params(world)["photo_id"]
    response = app.test_client().get(f"/vinh-danh/anh/{photo_id}")
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == "inline"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_results_export_is_a_download(app, client):
    round_ = make_round()
    login(client, make_user(roles.SECRETARIAT))
    response = client.get(f"/rounds/{round_.id}/results.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_every_file_the_app_sends_is_a_download_except_the_public_portrait():
    """A guard over the code: any send_file/send_from_directory must pass as_attachment=True, so a stored file
    is never rendered in our origin. The published portrait (publication.photo) is the documented exception:
    inline, image/jpeg or image/png only, nosniff (tested above); so are publication photos, public and the
    secretariat's preview: JPEG files the app encoded itself from decoded pixels (tests/publication/test_showcase.py),
    served as image/jpeg with nosniff."""
    import ast
    from pathlib import Path

    package = Path(attachments.__file__).resolve().parent.parent
    inline_allowed = {("publication/views.py", "photo"), ("publication/views.py", "publication_photo"),
                      ("publication/views.py", "publication_photo_preview")}
    offenders = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", None))
                        in ("send_file", "send_from_directory")):
                    continue
                as_attachment = any(k.arg == "as_attachment" and isinstance(k.value, ast.Constant)
                                    and k.value.value is True for k in call.keywords)
                where = (path.relative_to(package).as_posix(), function.name)
                if not as_attachment and where not in inline_allowed:
                    offenders.append(f"{where[0]}:{call.lineno} in {where[1]}()")
    assert offenders == []
