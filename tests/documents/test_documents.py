"""Acceptance of the official documents (issue 15): each document of a confirmed session, opened as a reader would.
Word files with python-docx (header texts, number, date line, signature names, complete tables), PDFs with pypdf
(Quốc hiệu and Tiêu ngữ, metadata and language, each signature block on one page with its names, no heading left
alone at a page foot, judged from the text positions), rendered from the confirmed record; the secretary and the
vote-counting board; who may download them."""
import io
import re
from decimal import Decimal

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader
from sqlalchemy import select

from honours.auth.models import User
from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.council import services as council
from honours.council.models import CouncilSession
from honours.documents import content, services
from honours.documents.layout import MOTTO, NATIONAL_TITLE, Heading, place_and_date
from honours.nominations.models import Dossier
from tests.conftest import login
from tests.factories import make_council, make_dossier, make_org, make_round, make_score_sheet, make_user

D = Decimal
SCIENCE, MEDICINE = 0, 1
SECRETARY = "Lê Thị Thư Ký"
FILLER = 24  # dossiers enough for the science table to run over a page


@pytest.fixture(scope="module")
def world(module_app):
    round_ = make_round(min_average_score=D(60), quorum_rule="two_thirds", approval_rule="majority",
                        opens_in_days=-120, closes_in_days=-60)
    medicine_org, science_org = make_org("Hội Y học tỉnh Bắc Ninh"), make_org("Sở Khoa học và Công nghệ")
    nominators = {org.id: make_user(roles.NOMINATOR, org) for org in (medicine_org, science_org)}
    secretariat = make_user(roles.SECRETARIAT, full_name="Nguyễn Thư Ký Ban")
    members = make_council(round_, 7)

    def scored(name, score, org, field=SCIENCE):
        dossier = make_dossier(round_, org, nominators[org.id], state="scored", full_name=name,
                               field_id=round_.fields[field].id, with_attachment=False)
        for reviewer in members[:3]:
            make_score_sheet(dossier, reviewer, D(score) / 10, submitted_at=clock.now())
        return dossier

    an = scored("Nguyễn Văn An", 85, science_org)
    binh = scored("Trần Thị Bình", 70, science_org)
    hoa = scored("Đỗ Thị Hoa", 90, medicine_org, MEDICINE)
    below = scored("Phạm Văn Dưới", 50, medicine_org)
    fillers = [scored(f"Hồ Sơ Thứ {i:02d}", 61 + i % 9, science_org) for i in range(FILLER)]
    session = council.open_session(secretariat, round_, [u.id for u in members[:6]], confirmed=True)
    council.set_counting_board(secretariat, session, SECRETARY, [members[3].id, members[4].id, members[5].id])
    shortlisted = [r.dossier for f in council.shortlist(round_) for r in f.results]
    for voter in members[:6]:
        council.cast_ballot(voter, session, {d.id: d.id in (an.id, hoa.id) for d in shortlisted})
    council.close_voting(secretariat, session, confirmed=True)
    council.confirm(members[0], session)
    council.record_decision(secretariat, session, "88/QĐ-UBND", clock.now().date(), "Vương Quốc Tuấn")
    db.session.commit()
    return {"session_id": session.id, "members": [u.id for u in members], "secretariat": secretariat.id,
            "orgs": {"medicine": medicine_org.id, "science": science_org.id}, "an": an.id,
            "names": {"an": an.full_name, "binh": binh.full_name, "hoa": hoa.full_name, "below": below.full_name},
            "fillers": [d.full_name for d in fillers]}


def _user(user_id: int) -> User:
    return db.session.get(User, user_id)


@pytest.fixture
def app(module_app, db_savepoint):
    return module_app


def _session(world) -> CouncilSession:
    return db.session.get(CouncilSession, world["session_id"])


def _documents(world):
    session = _session(world)
    record = content.session_record(session)
    documents = {kind: services.build(session, kind, record) for kind in services.KINDS}
    for key, org_id in world["orgs"].items():
        documents[f"notice-{key}"] = content.notice(record, org_id)
    return documents


# ---------------------------------------------------------------- Word

def _word(data: bytes):
    return WordDocument(io.BytesIO(data))


def _cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_every_word_file_has_the_decree_30_header_number_date_and_signers(app, world):
    date_line = re.compile(r"^Bắc Ninh, ngày (\d{2}|    ) +tháng (0[12]|[3-9]|1[012]|    ) +năm \d{4}$")
    for kind, document in _documents(world).items():
        word = _word(services.render(document, "docx"))
        left, right = (cell.text.split("\n") for cell in word.tables[0].rows[0].cells)
        assert document.issuer.name.upper() in left, kind
        assert re.fullmatch(r"Số: .*/" + re.escape(document.symbol), left[-1]) or document.number, (kind, left)
        assert right[:2] == [NATIONAL_TITLE, MOTTO], kind
        assert date_line.match(right[2].replace("      ", "    ")), (kind, right[2])
        texts = [p.text for p in word.paragraphs]
        assert document.kind in texts, kind
        signatures = "\n".join(cell.text for table in word.tables[1:] for cell in table._cells)
        for signature in document.closing.signatures:
            assert signature.title in signatures and signature.name in signatures, (kind, signature)
        assert word.core_properties.title == document.full_title and word.core_properties.language == "vi-VN"
        section = word.sections[0]
        assert document.footer and section.footer.paragraphs[0].text == document.footer
        assert section.first_page_footer.paragraphs[0].text == document.footer
        assert section.different_first_page_header_footer  # page numbers from page 2 on
        assert 'w:instr="PAGE"' in section.header.paragraphs[0]._p.xml


def test_minutes_and_vote_count_in_word_name_the_session_and_list_every_candidate(app, world):
    session = _session(world)
    minutes = _word(services.render(services.build(session, "bien-ban-hop"), "docx"))
    header = minutes.tables[0].rows[0].cells[0].text
    assert "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH BẮC NINH" in header
    assert "HỘI ĐỒNG XÉT TÔN VINH TRÍ THỨC BẮC NINH TIÊU BIỂU" in header and "Số:" in header and "/BB-HĐXT" in header
    text = "\n".join(p.text for p in minutes.paragraphs)
    assert f"Thư ký: {SECRETARY}." in text and "Chủ tọa: Thành viên 1, Chủ tịch Hội đồng." in text
    assert "Thành viên vắng mặt (1): Thành viên 7." in text
    assert "Ban kiểm phiếu: Thành viên 4 (Trưởng ban), Thành viên 5, Thành viên 6." in text
    science = next(t for t in minutes.tables[1:] if len(t.rows) > 10)
    rows = _cells(science)
    assert rows[0] == content.RESULT_HEADINGS
    names = {row[1] for row in rows[1:]}
    assert names == {world["names"]["an"], world["names"]["binh"], *world["fillers"]}
    assert ["1", "Nguyễn Văn An", "Sở Khoa học và Công nghệ", "85,00", "6", "0", "Thông qua"] in rows
    header_row = science.rows[0]._tr
    assert header_row.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") \
        is not None  # repeated on every page

    count = _word(services.render(services.build(session, "bien-ban-kiem-phieu"), "docx"))
    board = _cells(count.tables[1])
    assert board[1:] == [["1", "Thành viên 4", "Trưởng ban"], ["2", "Thành viên 5", "Thành viên"],
                         ["3", "Thành viên 6", "Thành viên"]]
    ballots = dict(row for row in _cells(count.tables[2])[1:])
    assert ballots == {"Tổng số thành viên hội đồng": "7", "Số thành viên có mặt": "6", "Số phiếu phát ra": "6",
                       "Số phiếu thu về": "6", "Số phiếu hợp lệ": "6", "Số phiếu không hợp lệ": "0"}
    text = "\n".join(p.text for p in count.paragraphs)
    assert "cần ít nhất 4/6 phiếu đồng ý" in text
    medicine = next(_cells(t) for t in count.tables if any("Đỗ Thị Hoa" in c for r in _cells(t) for c in r))
    assert medicine[1] == ["1", "Đỗ Thị Hoa", "6", "100,00%", "0", "Đạt", "Thông qua"]
    signatures = _cells(count.tables[-1])[0]
    assert [s.split("\n")[0] for s in signatures] == ["TRƯỞNG BAN KIỂM PHIẾU", "THÀNH VIÊN", "THÀNH VIÊN"]
    assert [s.split("\n")[-1] for s in signatures] == ["Thành viên 4", "Thành viên 5", "Thành viên 6"]


def test_submission_decision_and_notices_carry_the_approved_list(app, world):
    documents = _documents(world)
    submission = _word(services.render(documents["to-trinh"], "docx"))
    listed = _cells(submission.tables[1])
    assert listed == [["STT", "Họ và tên", "Đơn vị đề cử", "Lĩnh vực"],
                      ["1", "Nguyễn Văn An", "Sở Khoa học và Công nghệ", "Khoa học tự nhiên"],
                      ["2", "Đỗ Thị Hoa", "Hội Y học tỉnh Bắc Ninh", "Y dược"]]
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Bắc Ninh." in [p.text for p in submission.paragraphs]
    decision = _word(services.render(documents["du-thao-quyet-dinh"], "docx"))
    left = decision.tables[0].rows[0].cells[0].text
    assert "ỦY BAN NHÂN DÂN TỈNH BẮC NINH" in left and "Số: 88/QĐ-UBND" in left
    texts = [p.text for p in decision.paragraphs]
    assert any(t.startswith("Điều 1. Tặng danh hiệu “Trí thức Bắc Ninh tiêu biểu”") and "cho 2 trí thức" in t
               for t in texts)
    assert "DANH SÁCH" in texts and _cells(decision.tables[-1]) == listed  # the annex
    recipients = decision.tables[-2].rows[0].cells[0].text
    assert recipients.startswith("Nơi nhận:") and "Vương Quốc Tuấn" in decision.tables[-2].rows[0].cells[1].text

    medicine = _word(services.render(documents["notice-medicine"], "docx"))
    assert "Kính gửi: Hội Y học tỉnh Bắc Ninh." in [p.text for p in medicine.paragraphs]
    assert _cells(medicine.tables[1])[1:] == [
        ["1", "Đỗ Thị Hoa", "Y dược", "90,00", "6/6", "Thông qua"],
        ["2", "Phạm Văn Dưới", "—", "50,00", "—", "Không đạt điểm tối thiểu"]]
    science = _cells(_word(services.render(documents["notice-science"], "docx")).tables[1])
    assert len(science) == 1 + 2 + FILLER and "Đỗ Thị Hoa" not in str(science)


def test_documents_print_the_confirmed_record_not_the_live_rows(app, world):
    dossier = db.session.get(Dossier, world["an"])
    dossier.full_name = "Tên Đã Sửa Sau Xác Nhận"
    db.session.flush()
    session = _session(world)
    text = _pdf_text(services.render(services.build(session, "to-trinh"), "pdf"))
    assert "Nguyễn Văn An" in text and "Tên Đã Sửa" not in text
    snapshot = council.record.snapshot_of(session)
    assert snapshot.sha256 in text.replace("\n", "")


# ---------------------------------------------------------------- PDF

def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _page_lines(page) -> list[tuple[float, str]]:
    """(height from the bottom in points, text) of each line of the page, top first."""
    found: dict[float, list[tuple[float, str]]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            y = round(cm[5] + tm[5] * cm[3], 0)
            found.setdefault(y, []).append((cm[4] + tm[4], text))

    page.extract_text(visitor_text=visit)
    return [(y, "".join(t for _x, t in sorted(parts)).strip()) for y, parts in sorted(found.items(), reverse=True)]


def _fragments(page) -> list[str]:
    found = []
    page.extract_text(visitor_text=lambda text, *_: found.append(text.strip()) if text.strip() else None)
    return found


FOOTER_TOP = 62  # points above the page's bottom edge: below it only the footer (the sha256 line)


def test_every_pdf_is_a_decree_30_document_with_its_signers_and_headings_kept(app, world):
    for kind, document in _documents(world).items():
        data = services.render(document, "pdf")
        reader = PdfReader(io.BytesIO(data))
        first = reader.pages[0].extract_text()
        assert NATIONAL_TITLE in first and MOTTO in first, kind
        assert document.date_line in first and document.issuer.name.upper().split()[0] in first, kind
        assert reader.metadata.title == document.full_title, kind
        assert reader.trailer["/Root"]["/Lang"] == "vi", kind
        assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"] == True, kind  # noqa: E712 (a pypdf BooleanObject)
        assert [entry.title for entry in reader.outline] == [
            block.text for block in document.body + document.annex if isinstance(block, Heading)], kind
        fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
        assert fonts and all("LiberationSerif" in f for f in fonts), fonts
        pages = [[text for y, text in _page_lines(page) if y > FOOTER_TOP] for page in reader.pages]
        # The signature block: titles, the note and the names on one page.
        # The signature block: its title (its first line, when the title wraps in a narrow column), the note and
        # the signer's name on one page.
        fragments = [_fragments(page) for page in reader.pages]
        for signature in document.closing.signatures:
            holding = [i for i, found in enumerate(fragments)
                       if any(len(f) > 4 and signature.title.startswith(f) for f in found)]
            assert holding, (kind, signature)
            assert signature.name in fragments[holding[-1]], (kind, signature, fragments[holding[-1]])
            assert "(Ký, ghi rõ họ tên)" in fragments[holding[-1]]
        headings = {block.text for block in document.body + document.annex if isinstance(block, Heading)}
        for number, lines in enumerate(pages[:-1], start=1):
            assert lines[-1] not in headings, f"{kind}: heading {lines[-1]!r} alone at the foot of page {number}"


def test_long_tables_run_over_pages_with_their_header_row_repeated(app, world):
    reader = PdfReader(io.BytesIO(services.render(services.build(_session(world), "bien-ban-hop"), "pdf")))
    assert len(reader.pages) >= 2
    with_rows = [page for page in reader.pages if "Hồ Sơ Thứ" in page.extract_text()]
    assert len(with_rows) >= 2
    for page in with_rows:
        assert "Họ và tên" in page.extract_text() and "Đơn vị đề cử" in page.extract_text()
    text = _pdf_text(services.render(services.build(_session(world), "bien-ban-hop"), "pdf"))
    for name in world["fillers"]:
        assert name in text  # wrapped in its cell, never clipped


def test_decree_30_date_line():
    from datetime import date

    assert place_and_date("Bắc Ninh", date(2026, 2, 5), 2026) == "Bắc Ninh, ngày 05 tháng 02 năm 2026"
    assert place_and_date("Bắc Ninh", date(2026, 10, 15), 2026) == "Bắc Ninh, ngày 15 tháng 10 năm 2026"
    assert place_and_date("Bắc Ninh", date(2026, 3, 1), 2026) == "Bắc Ninh, ngày 01 tháng 3 năm 2026"
    assert place_and_date("Bắc Ninh", None, 2026) == "Bắc Ninh, ngày      tháng      năm 2026"


# ---------------------------------------------------------------- secretary and vote-counting board

def test_the_board_is_chosen_among_the_members_present_until_confirmation(app, world):
    session = _session(world)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "council_session",
                                                        AuditEntry.action == "counting_board")).one()
    assert entry.reason == (f"Ban kiểm phiếu: Thành viên 4, Thành viên 5, Thành viên 6; thư ký phiên họp: "
                            f"{SECRETARY}")
    with pytest.raises(RuleViolation, match="đã được xác nhận"):
        council.set_counting_board(_user(world["secretariat"]), session, SECRETARY, [world["members"][1]])


def test_board_rules_on_an_open_session(app, world):
    round_ = make_round(name="Đợt xét thử ban kiểm phiếu", min_average_score=None, opens_in_days=-120,
                        closes_in_days=-60)
    org = make_org("Hội Thử")
    members = make_council(round_, 4)
    dossier = make_dossier(round_, org, make_user(roles.NOMINATOR, org), state="scored", full_name="Người Thử",
                           field_id=round_.fields[0].id, with_attachment=False)
    for reviewer in members[:3]:
        make_score_sheet(dossier, reviewer, D(8), submitted_at=clock.now())
    secretariat = _user(world["secretariat"])
    session = council.open_session(secretariat, round_, [u.id for u in members[:3]], confirmed=True)
    with pytest.raises(council.FieldRuleViolation, match="có mặt") as absent:
        council.set_counting_board(secretariat, session, SECRETARY, [members[0].id, members[3].id])
    assert absent.value.field_key == "counting_members"
    with pytest.raises(council.FieldRuleViolation, match="thư ký"):
        council.set_counting_board(secretariat, session, "  ", [members[0].id])
    with pytest.raises(RuleViolation, match="Ban thư ký"):
        council.set_counting_board(members[0], session, SECRETARY, [members[0].id])
    council.set_counting_board(secretariat, session, "Thư Ký Một", [members[2].id, members[1].id])
    council.set_counting_board(secretariat, session, "Thư Ký Hai", [members[1].id, members[0].id])
    assert [m.user_id for m in session.counting_board] == [members[1].id, members[0].id]
    assert session.secretary_name == "Thư Ký Hai"
    text = _pdf_text(services.render(services.build(session, "bien-ban-kiem-phieu"), "pdf")) \
        if services.available(session) else ""
    assert text == ""  # an open session has no documents yet


# ---------------------------------------------------------------- over HTTP

def test_secretariat_downloads_every_document_and_the_chair_too(app, world):
    client = app.test_client()
    login(client, _user(world["secretariat"]))
    sid = world["session_id"]
    page = client.get(f"/documents/sessions/{sid}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for kind in services.KINDS:
        for fmt, mimetype in (("pdf", "application/pdf"), ("docx", services.FORMATS["docx"][0])):
            assert f"/documents/sessions/{sid}/{kind}.{fmt}" in html
            response = client.get(f"/documents/sessions/{sid}/{kind}.{fmt}")
            assert response.status_code == 200 and response.mimetype == mimetype, (kind, fmt)
            assert response.headers["Cache-Control"] == "private, no-store"
    medicine = world["orgs"]["medicine"]
    assert f"/documents/sessions/{sid}/thong-bao/{medicine}.pdf" in html
    assert "Thông báo kết quả gửi Hội Y học tỉnh Bắc Ninh" in html
    notice = client.get(f"/documents/sessions/{sid}/thong-bao/{medicine}.docx")
    assert notice.status_code == 200 and "attachment" in notice.headers["Content-Disposition"]
    other = make_org("Hội Không Đề Cử")
    assert client.get(f"/documents/sessions/{sid}/thong-bao/{other.id}.pdf").status_code == 404
    assert client.get(f"/documents/sessions/{sid}/khong-co.pdf").status_code == 404
    minutes = client.get(f"/council/sessions/{sid}/minutes.pdf")
    assert minutes.status_code == 200 and "BIÊN BẢN" in _pdf_text(minutes.data)

    chair = app.test_client()
    login(chair, _user(world["members"][0]))
    assert chair.get(f"/documents/sessions/{sid}/bien-ban-kiem-phieu.pdf").status_code == 200
    member = app.test_client()
    login(member, _user(world["members"][1]))
    assert member.get(f"/documents/sessions/{sid}/bien-ban-kiem-phieu.pdf").status_code == 403
    outsider = app.test_client()
    login(outsider, make_user(roles.COUNCIL, full_name="Người Ngoài"))
    assert outsider.get(f"/documents/sessions/{sid}").status_code == 404


def test_the_board_form_on_the_session_page(app, world):
    round_ = make_round(name="Đợt xét có biểu mẫu ban kiểm phiếu", min_average_score=None, opens_in_days=-120,
                        closes_in_days=-60)
    org = make_org("Hội Biểu Mẫu")
    members = make_council(round_, 3)
    dossier = make_dossier(round_, org, make_user(roles.NOMINATOR, org), state="scored", full_name="Người Mẫu",
                           field_id=round_.fields[0].id, with_attachment=False)
    for reviewer in members:
        make_score_sheet(dossier, reviewer, D(8), submitted_at=clock.now())
    session = council.open_session(_user(world["secretariat"]), round_, [u.id for u in members], confirmed=True)
    db.session.commit()
    client = app.test_client()
    login(client, _user(world["secretariat"]))
    page = client.get(f"/council/rounds/{round_.id}").get_data(as_text=True)
    assert 'name="counting_head"' in page and 'name="secretary_name"' in page
    refused = client.post(f"/council/sessions/{session.id}/counting-board", data={"secretary_name": "Thư Ký"})
    assert refused.status_code == 422 and "Vui lòng chọn trưởng ban kiểm phiếu." in refused.get_data(as_text=True)
    saved = client.post(f"/council/sessions/{session.id}/counting-board", data={
        "secretary_name": "Thư Ký Ghi", "counting_head": str(members[2].id),
        "counting_members": [str(members[0].id), str(members[2].id)]})
    assert saved.status_code == 302
    db.session.expire_all()
    session = db.session.get(CouncilSession, session.id)
    assert [m.user_id for m in session.counting_board] == [members[2].id, members[0].id]
    assert session.secretary_name == "Thư Ký Ghi"
    assert client.get(f"/documents/sessions/{session.id}").status_code == 302  # open: not yet


def _confirmed_small_session(world) -> int:
    """A second round's session, confirmed with one dossier of one organisation (the small data size)."""
    round_ = make_round(name="Đợt xét nhỏ", min_average_score=None, opens_in_days=-120, closes_in_days=-60)
    org = make_org("Hội Một Hồ Sơ")
    members = make_council(round_, 3)
    dossier = make_dossier(round_, org, make_user(roles.NOMINATOR, org), state="scored", full_name="Người Duy Nhất",
                           field_id=round_.fields[0].id, with_attachment=False)
    for reviewer in members:
        make_score_sheet(dossier, reviewer, D(8), submitted_at=clock.now())
    secretariat = _user(world["secretariat"])
    session = council.open_session(secretariat, round_, [u.id for u in members], confirmed=True)
    for voter in members:
        council.cast_ballot(voter, session, {dossier.id: True})
    council.close_voting(secretariat, session, confirmed=True)
    council.confirm(members[0], session)
    db.session.commit()
    return session.id


def test_the_documents_page_runs_the_same_queries_for_a_small_and_a_large_result(app, world):
    from tests.core.test_query_counts import count_queries

    small = _confirmed_small_session(world)
    client = app.test_client()
    login(client, _user(world["secretariat"]))
    counts = []
    for sid in (small, world["session_id"]):
        client.get(f"/documents/sessions/{sid}")  # warm: the first request loads what every request shares
        with count_queries() as statements:
            page = client.get(f"/documents/sessions/{sid}")
        assert page.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
