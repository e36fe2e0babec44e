"""The public side as a showcase: round documents (public once the round is announced), publication photos
(re-encoded, resized, metadata stripped), the open call on the home page, cards by field, robots.txt, sitemap.xml,
meta description and Open Graph tags."""
import io
import os
import re
from datetime import date, timedelta

import pytest
from PIL import Image
from pypdf.actions import JavaScript as JavaScriptAction
from sqlalchemy import insert, inspect, select

from honours.core import clock, roles, storage
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.council.models import CONFIRMED
from honours.nominations import states
from honours.nominations.models import Dossier
from honours.publication import media, open_call
from honours.publication.models import PHOTO_WIDTHS, PublicationPhoto, RoundDocument
from tests.conftest import login
from tests.core.test_active_pdf import pypdf_file
from tests.core.test_query_counts import count_queries
from tests.factories import (
    PDF,
    PNG,
    make_council_session,
    make_dossier,
    make_org,
    make_publication_photo,
    make_round,
    make_round_document,
    make_user,
    sample_image,
)

DECISION = {"decision_number": "2468/QĐ-UBND", "decision_date": date(2026, 6, 10),
            "decision_signer": "Chủ tịch UBND tỉnh Bắc Ninh"}
JS_PDF = pypdf_file(lambda w: w.add_open_action(JavaScriptAction("app.alert('xin chao');")))


@pytest.fixture(scope="module")
def built(module_app):
    """An open round with a plan; a coming round with a document (not announced); a round published last year
    with three honourees in two fields (one with a publication photo) and one approved-but-not-published dossier."""
    secretary = make_user(roles.SECRETARIAT, full_name="Thư Ký Trình Bày")
    org = make_org("Hội Y học tỉnh Bắc Ninh", email="yhoc@hoi.example.vn")
    nominator = make_user(roles.NOMINATOR, org)
    open_round = make_round(name="Trí thức Bắc Ninh tiêu biểu 2026", closes_in_days=12)
    plan = make_round_document(open_round, secretary, title="Kế hoạch xét tôn vinh 2026")
    coming = make_round(name="Đợt bổ sung 2026", opens_in_days=40, closes_in_days=70)
    secret = make_round_document(coming, secretary, title="Dự thảo chưa công bố", kind="other")
    past = make_round(name="Trí thức Bắc Ninh tiêu biểu 2025", opens_in_days=-400, closes_in_days=-340)
    past.year = 2025
    make_council_session(past, secretary, status=CONFIRMED, members_total=7, confirmed_at=clock.now(), **DECISION)
    science, medicine = past.fields[0].id, past.fields[1].id
    an = make_dossier(past, org, nominator, state=states.PUBLISHED, full_name="Nguyễn Văn An", field_id=science,
                      workplace="Viện Khoa học", citation="Nhà toán học tiêu biểu.", date_of_birth=date(1971, 3, 14),
                      email="an.rieng@example.vn")
    binh = make_dossier(past, org, nominator, state=states.PUBLISHED, full_name="Trần Thị Bình", field_id=medicine,
                        workplace="Bệnh viện tỉnh", citation="Bác sĩ tiêu biểu.")
    cuong = make_dossier(past, org, nominator, state=states.PUBLISHED, full_name="Lê Văn Cường", field_id=medicine,
                         workplace="Trung tâm Y tế", citation="Chuyên gia y tế dự phòng.")
    approved = make_dossier(open_round, org, nominator, state=states.APPROVED, full_name="Phạm Văn Chờ")
    drafted = make_dossier(open_round, org, nominator, state=states.DRAFT, full_name="Hoàng Văn Nháp")
    past.published_at, past.published_by_id = clock.now() - timedelta(days=200), secretary.id
    db.session.commit()
    photo = make_publication_photo(binh, secretary)
    pending_photo = make_publication_photo(approved, secretary)
    return {"secretary": secretary, "nominator": nominator, "open": open_round, "plan": plan, "coming": coming,
            "secret": secret, "past": past, "an": an, "binh": binh, "cuong": cuong, "approved": approved,
            "drafted": drafted, "photo": photo, "pending_photo": pending_photo}


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


@pytest.fixture
def world(app, built):
    """The module's world, loaded in this test's session."""
    return {key: db.session.get(type(value), inspect(value).identity[0]) for key, value in built.items()}


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def meta(html: str, attribute: str, name: str) -> str:
    found = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    assert found, f"no {name} meta tag"
    return found.group(1)


# ---------------------------------------------------------------- publication photos (service)

def test_photo_is_re_encoded_at_the_fixed_widths_without_metadata(app, world):
    original = sample_image(1600, 1200)
    assert b"Secret Camera Model" in original and Image.open(io.BytesIO(original)).getexif()
    photo = make_publication_photo(world["an"], world["secretary"], data=original)
    assert photo.width_list == list(PHOTO_WIDTHS)
    for width in PHOTO_WIDTHS:
        with open(storage.path_for(photo.stored_name(width)), "rb") as stored:
            data = stored.read()
        image = Image.open(io.BytesIO(data))
        assert image.format == "JPEG" and image.size == (width, round(1200 * width / 1600))
        assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
        assert b"Secret Camera Model" not in data
    # The upload itself is not kept: only the derived files are on disk.
    assert sorted(os.listdir(storage.upload_folder())).count(photo.stored_name(160)) == 1


def test_a_small_photo_is_not_enlarged_and_a_transparent_png_gets_a_white_background(app, world):
    image = Image.new("RGBA", (300, 400), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    photo = make_publication_photo(world["an"], world["secretary"], data=out.getvalue(), name="anh.png")
    assert photo.width_list == [160, 300]
    with Image.open(storage.path_for(photo.stored_name(300))) as stored:
        assert stored.size == (300, 400) and stored.mode == "RGB"
        assert stored.getpixel((10, 10)) == (255, 255, 255)


def test_photo_orientation_is_applied_before_the_exif_goes(app, world):
    image = Image.new("RGB", (800, 400), (200, 10, 10))
    tags = Image.Exif()
    tags[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=tags.tobytes())
    photo = make_publication_photo(world["an"], world["secretary"], data=out.getvalue())
    with Image.open(storage.path_for(photo.stored_name(160))) as stored:
        assert stored.size == (160, 320)


@pytest.mark.parametrize("data,name,message", [
    (PDF, "chan-dung.jpg", "phải là ảnh JPEG hoặc PNG"),  # a PDF named as an image
    (b"GIF89a" + b"\0" * 40, "anh.gif", "không phải PDF, JPEG hoặc PNG"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 60, "hong.jpg", "không phải ảnh JPEG hoặc PNG hợp lệ"),  # broken JPEG
])
def test_photo_upload_refuses_what_is_not_a_jpeg_or_png(app, world, data, name, message):
    before = set(os.listdir(storage.upload_folder()))
    with pytest.raises(RuleViolation, match=message):
        media.set_photo(world["secretary"], world["past"], world["an"].id, io.BytesIO(data), name)
    db.session.rollback()
    assert set(os.listdir(storage.upload_folder())) == before  # nothing left on disk
    assert db.session.scalar(select(PublicationPhoto).where(PublicationPhoto.dossier_id == world["an"].id)) is None


def test_photo_upload_refuses_decompression_bombs(app, world):
    app.config["MAX_IMAGE_PIXELS"] = 1_000_000
    with pytest.raises(RuleViolation, match="kích thước quá lớn"):
        media.set_photo(world["secretary"], world["past"], world["an"].id,
                        io.BytesIO(sample_image(1600, 1200, exif=False)), "to.jpg")


def test_photo_only_for_approved_or_published_dossiers_of_the_round_by_the_secretariat(app, world):
    with pytest.raises(RuleViolation, match="không thuộc danh sách"):
        make_publication_photo(world["drafted"], world["secretary"])
    db.session.rollback()
    with pytest.raises(RuleViolation, match="không thuộc danh sách"):  # a dossier of another round
        media.set_photo(world["secretary"], world["open"], world["an"].id, io.BytesIO(sample_image()), "a.jpg")
    db.session.rollback()
    with pytest.raises(RuleViolation, match="Chỉ Ban thư ký"):
        media.set_photo(world["nominator"], world["past"], world["an"].id, io.BytesIO(sample_image()), "a.jpg")


def test_a_new_photo_replaces_the_old_one_and_its_files(app, world):
    old = world["photo"]
    old_key = old.key
    old_files = [storage.path_for(name) for name in old.stored_names]
    assert all(os.path.exists(path) for path in old_files)
    new = make_publication_photo(world["binh"], world["secretary"])
    assert db.session.scalars(select(PublicationPhoto.key).where(
        PublicationPhoto.dossier_id == world["binh"].id)).all() == [new.key] != [old_key]
    assert not any(os.path.exists(path) for path in old_files)


# ---------------------------------------------------------------- publication photos (HTTP)

def test_secretariat_uploads_a_photo_on_the_publishing_page(app, world):
    client = app.test_client()
    login(client, world["secretary"])
    url = f"/publication/rounds/{world['open'].id}/photos"
    old_key = world["pending_photo"].key
    page = html_of(client, f"/publication/rounds/{world['open'].id}")
    assert 'id="photo-dossier_id"' in page and 'enctype="multipart/form-data"' in page
    refused = client.post(url, data={"photo-dossier_id": str(world["approved"].id),
                                     "photo-file": (io.BytesIO(PDF), "anh.jpg")})
    assert refused.status_code == 422
    assert "Ảnh công bố phải là ảnh JPEG hoặc PNG." in refused.get_data(as_text=True)
    done = client.post(url, data={"photo-dossier_id": str(world["approved"].id),
                                  "photo-file": (io.BytesIO(sample_image(500, 600)), "anh.jpg")})
    assert done.status_code == 302
    photo = db.session.scalar(select(PublicationPhoto).where(PublicationPhoto.dossier_id == world["approved"].id))
    assert photo.key != old_key and photo.width_list == [160, 480, 500]


def test_public_photo_only_for_published_honourees_at_stored_widths(app, world):
    client = app.test_client()
    photo = world["photo"]
    response = client.get(f"/vinh-danh/anh-cong-bo/{photo.key}/480.jpg")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"].startswith("public")
    assert Image.open(io.BytesIO(response.data)).size[0] == 480
    assert client.get(f"/vinh-danh/anh-cong-bo/{photo.key}/300.jpg").status_code == 404
    # An approved honouree of a round not yet published: the photo does not exist for the public.
    assert client.get(f"/vinh-danh/anh-cong-bo/{world['pending_photo'].key}/160.jpg").status_code == 404


# ---------------------------------------------------------------- round documents

def test_round_documents_are_pdfs_passing_every_attachment_check(app, world):
    for data, name, message in ((PNG, "ke-hoach.png", "phải là tệp PDF"),
                                (JS_PDF, "quy-che.pdf", "JavaScript"),
                                (b"hello", "mau.pdf", "không phải PDF, JPEG hoặc PNG")):
        before = set(os.listdir(storage.upload_folder()))
        with pytest.raises(RuleViolation, match=message):
            make_round_document(world["open"], world["secretary"], data=data, name=name)
        db.session.rollback()
        assert set(os.listdir(storage.upload_folder())) == before
    with pytest.raises(RuleViolation, match="tên tài liệu"):
        make_round_document(world["open"], world["secretary"], title="  ")
    db.session.rollback()
    with pytest.raises(RuleViolation, match="loại tài liệu"):
        make_round_document(world["open"], world["secretary"], kind="secret")
    db.session.rollback()
    app.config["MAX_ATTACHMENT_BYTES"] = 200
    with pytest.raises(RuleViolation, match="vượt quá dung lượng"):
        make_round_document(world["open"], world["secretary"])


def test_round_documents_download_publicly_only_once_the_round_is_announced(app, world):
    client = app.test_client()
    response = client.get(f"/tai-lieu/{world['plan'].id}")
    assert response.status_code == 200 and response.mimetype == "application/pdf" and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/tai-lieu/{world['secret'].id}").status_code == 404  # the round has not opened yet
    assert client.get("/tai-lieu/999999").status_code == 404
    # A published round's documents stay available (a closed round that was announced, too).
    assert media.is_announced(world["past"])
    past_doc = make_round_document(world["past"], world["secretary"], title="Quy chế 2025", kind="regulation")
    assert client.get(f"/tai-lieu/{past_doc.id}").status_code == 200
    # The secretariat's round page lists the coming round's document without a public link.
    login(client, world["secretary"])
    page = html_of(client, f"/rounds/{world['coming'].id}")
    assert "Dự thảo chưa công bố" in page and f"/tai-lieu/{world['secret'].id}" not in page


def test_secretariat_adds_and_deletes_documents_on_the_round_page_with_confirmation(app, world):
    client = app.test_client()
    login(client, world["secretary"])
    round_id = world["open"].id
    page = html_of(client, f"/rounds/{round_id}")
    assert "Kế hoạch xét tôn vinh 2026" in page and 'id="document-title"' in page
    refused = client.post(f"/publication/rounds/{round_id}/documents",
                          data={"document-title": "Mẫu", "document-kind": "form",
                                "document-file": (io.BytesIO(PNG), "mau.pdf")})
    assert refused.status_code == 422 and "phải là tệp PDF" in refused.get_data(as_text=True)
    added = client.post(f"/publication/rounds/{round_id}/documents",
                        data={"document-title": "Mẫu phiếu đề cử", "document-kind": "form",
                              "document-file": (io.BytesIO(PDF), "mau-phieu.pdf")})
    assert added.status_code == 302
    document = db.session.scalar(select(RoundDocument).where(RoundDocument.title == "Mẫu phiếu đề cử"))
    url = f"/publication/rounds/{round_id}/documents/{document.id}/delete"
    asked = client.post(url, data={})
    assert asked.status_code == 200 and "không còn tải về được" in asked.get_data(as_text=True)
    assert db.session.get(RoundDocument, document.id) is not None
    # A document of another round is not found through this round.
    assert client.post(f"/publication/rounds/{round_id}/documents/{world['secret'].id}/delete",
                       data={"confirmed": "1"}).status_code == 404
    path, document_id = storage.path_for(document.stored_name), document.id
    assert app.test_client().get(f"/tai-lieu/{document_id}").status_code == 200
    assert client.post(url, data={"confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(RoundDocument, document_id) is None and not os.path.exists(path)
    assert app.test_client().get(f"/tai-lieu/{document_id}").status_code == 404


# ---------------------------------------------------------------- the public home page

def test_home_page_announces_the_open_call(app, world):
    html = html_of(app.test_client(), "/")
    assert "Trí thức Bắc Ninh tiêu biểu 2026" in html and "Đang nhận hồ sơ đề cử" in html
    assert "còn 12 ngày" in html  # the countdown, server-side
    for field_name, quota in (("Khoa học tự nhiên", 3), ("Y dược", 2), ("Giáo dục", 2)):
        assert re.search(rf"<span>{field_name}</span> <strong>{quota} người</strong>", html)
    assert "Tổng chỉ tiêu" in html and "7 người" in html
    assert "Thành tích khoa học" in html and "tối đa 10 điểm" in html
    assert f'href="/tai-lieu/{world["plan"].id}"' in html and "Kế hoạch xét tôn vinh 2026" in html
    assert "Dự thảo chưa công bố" not in html
    assert "bantuky@example.vn" in html  # the configured contact
    assert "Đăng nhập" in html


def test_home_page_without_an_open_round_shows_the_next_one_and_the_latest_list(app, world):
    world["open"].nominations_close_at = clock.now() - timedelta(days=1)
    db.session.commit()
    html = html_of(app.test_client(), "/")
    assert "Đợt bổ sung 2026" in html and "Đợt xét sắp mở" in html and "mở sau 40 ngày" in html
    assert "Dự thảo chưa công bố" not in html and "/tai-lieu/" not in html
    assert "Trí thức Bắc Ninh tiêu biểu năm 2025" in html and "Trần Thị Bình" in html


def test_home_page_runs_the_same_queries_whatever_the_number_of_documents_and_rounds(app, world):
    def count() -> int:
        client = app.test_client()
        client.get("/")
        with count_queries() as statements:
            assert client.get("/").status_code == 200
        return len(statements)

    before = count()
    for i in range(4):
        make_round_document(world["open"], world["secretary"], title=f"Mẫu {i}", kind="form")
    make_round(name="Một đợt nữa đang mở")
    assert count() == before <= 7  # 7: one for the rounds on public notice (honours.notice), linked from here


def test_signed_in_home_page_has_no_open_call(app, world):
    client = app.test_client()
    login(client, world["secretary"])
    assert "Đang nhận hồ sơ đề cử" not in html_of(client, "/")


# ---------------------------------------------------------------- the honoured list and honouree pages

def test_list_shows_cards_grouped_by_field_with_counts(app, world):
    html = html_of(app.test_client(), "/vinh-danh/2025")
    groups = re.findall(r'<h3 id="field-[^"]+">([^<]+) <span class="field-count">(\d+) người</span></h3>', html)
    assert groups == [("Khoa học tự nhiên", "1"), ("Y dược", "2")]
    medicine = html.split("Y dược <span")[1]
    assert medicine.count('<li class="card"') == 2 and "Trần Thị Bình" in medicine and "Lê Văn Cường" in medicine
    # Binh's card shows her publication photo (with its sizes); the others the neutral placeholder.
    photo = world["photo"]
    assert f'src="/vinh-danh/anh-cong-bo/{photo.key}/160.jpg"' in html
    assert f"/vinh-danh/anh-cong-bo/{photo.key}/1200.jpg 1200w" in html
    assert html.count("img/portrait-placeholder.svg") == 2
    assert "Bệnh viện tỉnh" in html and "14/03/1971" not in html and "an.rieng@example.vn" not in html


def test_honouree_page_has_portrait_citation_decision_and_share_links(app, world):
    binh, photo = world["binh"], world["photo"]
    html = html_of(app.test_client(), f"/vinh-danh/2025/{binh.id}-tran-thi-binh")
    assert f'src="/vinh-danh/anh-cong-bo/{photo.key}/480.jpg"' in html
    assert "Bác sĩ tiêu biểu." in html
    assert "Số 2468/QĐ-UBND ngày 10/06/2026" in html and "người ký: Chủ tịch UBND tỉnh Bắc Ninh" in html
    canonical = f"http://127.0.0.1:5000/vinh-danh/2025/{binh.id}-tran-thi-binh"
    encoded = canonical.replace(":", "%3A")
    assert f'href="https://www.facebook.com/sharer/sharer.php?u={encoded}"' in html
    assert f'href="https://sp.zalo.me/share_to?url={encoded}"' in html
    assert 'data-copy-target="share-url"' in html and "js/share.js" in html
    assert "<script>" not in html  # no inline script, no third-party script
    assert not re.search(r'<script[^>]+src="https?://', html)


@pytest.mark.parametrize("url_of,title,image", [
    (lambda w: "/", "Xét tôn vinh Trí thức Bắc Ninh tiêu biểu", "/static/img/og-default.png"),
    (lambda w: "/vinh-danh/2025", "Trí thức Bắc Ninh tiêu biểu năm 2025", "/static/img/og-default.png"),
    (lambda w: f"/vinh-danh/2025/{w['binh'].id}-tran-thi-binh", "Trần Thị Bình", "/anh-cong-bo/"),
    (lambda w: f"/vinh-danh/2025/{w['an'].id}-nguyen-van-an", "Nguyễn Văn An", "/static/img/og-default.png"),
])
def test_public_pages_have_a_description_and_open_graph_tags(app, world, url_of, title, image):
    url = url_of(world)
    html = html_of(app.test_client(), url)
    assert '<html lang="vi">' in html
    assert len(meta(html, "name", "description")) > 40
    assert title in meta(html, "property", "og:title")
    assert meta(html, "property", "og:description")
    assert meta(html, "property", "og:url") == "http://127.0.0.1:5000" + url
    assert meta(html, "property", "og:image").startswith("http://127.0.0.1:5000/")
    assert image in meta(html, "property", "og:image")
    if image == "/anh-cong-bo/":
        assert meta(html, "property", "og:image").endswith("/1200.jpg")


def test_html_lang_follows_the_chosen_language(app, world):
    client = app.test_client()
    client.get("/lang/en?next=/vinh-danh/2025")
    html = html_of(client, "/vinh-danh/2025")
    assert '<html lang="en">' in html and 'content="en_GB"' in html


def test_json_export_carries_the_publication_photo_urls(app, world):
    import json

    data = json.loads(app.test_client().get("/vinh-danh/2025.json").data)
    by_name = {h["full_name"]: h for h in data["honourees"]}
    photo = world["photo"]
    base = f"http://127.0.0.1:5000/vinh-danh/anh-cong-bo/{photo.key}"
    assert by_name["Trần Thị Bình"]["photo_url"] == f"{base}/480.jpg"
    assert by_name["Trần Thị Bình"]["photo_urls"] == {str(w): f"{base}/{w}.jpg" for w in PHOTO_WIDTHS}
    assert by_name["Nguyễn Văn An"]["photo_url"] is None and by_name["Nguyễn Văn An"]["photo_urls"] is None


# ---------------------------------------------------------------- robots.txt and sitemap.xml

def test_robots_allows_public_pages_and_keeps_crawlers_out_of_signed_in_areas(app, world):
    response = app.test_client().get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines and "Allow: /vinh-danh" in lines and "Allow: /tai-lieu/" in lines
    for area in ("/rounds", "/dossiers", "/publication", "/reviews", "/council", "/eligibility", "/users",
                 "/tien-cu", "/login"):
        assert f"Disallow: {area}" in lines
    assert not any(line.startswith("Disallow: /vinh-danh") or line == "Disallow: /" for line in lines)
    assert "Sitemap: http://127.0.0.1:5000/sitemap.xml" in lines


def test_sitemap_lists_the_published_pages_only(app, world):
    response = app.test_client().get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    body = response.get_data(as_text=True)
    locations = re.findall(r"<loc>([^<]+)</loc>", body)
    base = "http://127.0.0.1:5000"
    assert locations[:3] == [f"{base}/", f"{base}/vinh-danh", f"{base}/vinh-danh/2025"]
    for dossier in ("an", "binh", "cuong"):
        assert any(loc.startswith(f"{base}/vinh-danh/2025/{world[dossier].id}-") for loc in locations)
    assert len(locations) == 6  # not the approved dossier of the open round, nor the draft
    assert "<lastmod>" in body
    assert response.headers["Cache-Control"].startswith("public")


# ---------------------------------------------------------------- bounded queries

def _publish_many(size: int, secretary):
    round_ = make_round(name=f"Đợt nhiều {size}", opens_in_days=-800, closes_in_days=-700)
    round_.year = 2024
    org = make_org(f"Đơn vị nhiều {size}")
    nominator = make_user(roles.NOMINATOR, org)
    now = clock.now()
    from honours.core.text import fold

    db.session.execute(insert(Dossier), [{
        "round_id": round_.id, "organisation_id": org.id, "field_id": round_.fields[i % 3].id,
        "state": states.PUBLISHED, "version": 1, "full_name": f"Người Thứ {i}", "name_folded": fold(f"Người Thứ {i}"),
        "gender": "male", "date_of_birth": date(1970, 1, 1), "ethnicity": "Kinh", "workplace": f"Nơi {i}",
        "citation": f"Trích dẫn {i}", "created_by_id": nominator.id, "created_at": now, "updated_at": now,
        "submission_count": 1} for i in range(size)])
    ids = db.session.scalars(select(Dossier.id).where(Dossier.round_id == round_.id)).all()
    db.session.execute(insert(PublicationPhoto), [
        {"dossier_id": dossier_id, "key": f"k{size}x{dossier_id}", "widths": "160,480,1200",
         "uploaded_by_id": secretary.id, "uploaded_at": now} for dossier_id in ids[::2]])
    round_.published_at, round_.published_by_id = now, secretary.id
    make_council_session(round_, secretary, status=CONFIRMED, members_total=7, confirmed_at=now, **DECISION)
    db.session.commit()


def test_public_list_with_photos_runs_the_same_queries_at_two_sizes(app, world):
    counts = []
    for size in (10, 200):
        _publish_many(size, world["secretary"])
        client = app.test_client()
        client.get("/vinh-danh/2024")
        with count_queries() as statements:
            response = client.get("/vinh-danh/2024")
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "/vinh-danh/anh-cong-bo/" in html
        counts.append(len(statements))
        with count_queries() as statements:
            assert app.test_client().get("/sitemap.xml").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
    assert open_call.TEASER_SIZE < 10


def test_pdf_export_embeds_the_publication_photos(app, world):
    from pypdf import PdfReader

    response = app.test_client().get("/vinh-danh/2025.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1  # Bình's photo; An and Cường have none
    assert "Trần Thị Bình" in "".join(page.extract_text() for page in reader.pages)
