"""The audit log page in words: labels for object types, actions and states, objects linked to their pages when the
reader may open them, reasons as text, a filter of labels; the links cost one query per kind of object."""
from sqlalchemy import select

from honours.core import audit, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.council.services import OPENED_EARLY
from honours.nominations import states
from tests.conftest import login, wipe
from tests.core.test_query_counts import queries_for
from tests.factories import make_council_session, make_dossier, make_org, make_person, make_round, make_user


def world(size: int = 1) -> dict:
    secretary = make_user(roles.SECRETARIAT, full_name="Lê Thư Ký")
    round_ = make_round(name=f"Đợt xét {size}")
    org = make_org(f"Hội Hoá học {size}")
    nominator = make_user(roles.NOMINATOR, org)
    session = make_council_session(round_, secretary, members_total=7)
    for i in range(size):
        submitted = make_dossier(round_, org, nominator, state=states.RETURNED, full_name=f"Nguyễn Văn Nộp {i}")
        draft = make_dossier(round_, org, nominator, full_name=f"Trần Thị Nháp {i}")
        person = make_person(full_name=f"Phạm Văn Trí {i}")
        audit.record(secretary, "dossier", submitted.id, "return", states.SUBMITTED, states.RETURNED,
                     "Thiếu bản sao bằng tiến sĩ")
        audit.record(nominator, "dossier", draft.id, "replace_attachment", states.DRAFT, states.DRAFT)
        audit.record(secretary, "person", person.id, "update", reason="Email: cũ → mới")
        audit.record(secretary, "council_session", session.id, "open_early", "", "open", OPENED_EARLY(
            reason="Họp sớm theo chỉ đạo", nominations_close="01/05/2026 17:00", review_close="30/06/2026 17:00",
            awaiting_check=0, unscored=2, sheets_outstanding=3))
        audit.record(secretary, "round", round_.id, "publish", "", "published", str(i + 3))  # an older, bare entry
    db.session.commit()
    return {"secretary": secretary, "round": round_, "session": session, "submitted": submitted, "draft": draft,
            "person": person}


def test_the_log_reads_in_words_with_links(app):
    w = world()
    client = app.test_client()
    login(client, w["secretary"])
    html = client.get("/audit/").get_data(as_text=True)
    body = html[html.index("<tbody>"):]
    # Object types, actions and states in words.
    for words in ("Hồ sơ đề cử", "Yêu cầu bổ sung", "Đã nộp → Yêu cầu bổ sung", "Thay tệp đính kèm",
                  "Trí thức, chuyên gia", "Sửa thông tin", "Phiên họp hội đồng", "Mở phiên họp trước thời hạn",
                  "Đang bỏ phiếu", "Công bố danh sách được tôn vinh", "Đã công bố"):
        assert words in body, words
    for code in ("replace_attachment", "open_early", "council_session", "under_review", "returned"):
        assert code not in body, code
    # Objects linked to their pages; a draft dossier stays private to its organisation (no link, no name).
    assert f'<a href="/dossiers/{w["submitted"].id}">Nguyễn Văn Nộp 0</a>' in body
    assert f'href="/dossiers/{w["draft"].id}"' not in body and "Trần Thị Nháp" not in body
    assert f"số {w['draft'].id}" in body
    assert f'<a href="/tri-thuc/{w["person"].id}">Phạm Văn Trí 0</a>' in body
    assert f'<a href="/council/rounds/{w["round"].id}">' in body  # a session opens on its round's council page
    assert f'<a href="/rounds/{w["round"].id}">Đợt xét 1</a>' in body
    # Reasons as text: coded reasons rendered, a bare number explained.
    assert "Lý do: Họp sớm theo chỉ đạo" in body and "2 hồ sơ chưa chấm xong, 3 phiếu chấm chưa nộp" in body
    assert "<td>3 người được tôn vinh</td>" in body


def test_the_filter_lists_labels_not_codes(app):
    w = world()
    client = app.test_client()
    login(client, w["secretary"])
    html = client.get("/audit/").get_data(as_text=True)
    assert '<option value="open_early">Mở phiên họp trước thời hạn</option>' in html
    assert '<option value="council_session">Phiên họp hội đồng</option>' in html
    assert '<option value="replace_attachment">Thay tệp đính kèm</option>' in html
    # With an object type chosen, an action shared by several types is named as it is for that type.
    html = client.get("/audit/?entity_type=round").get_data(as_text=True)
    assert '<option value="publish">Công bố danh sách được tôn vinh</option>' in html
    filtered = client.get("/audit/?action=open_early").get_data(as_text=True)
    assert "Họp sớm theo chỉ đạo" in filtered and "Thiếu bản sao" not in filtered


def test_the_admin_sees_no_link_to_pages_the_admin_cannot_open(app):
    w = world()
    admin = make_user(roles.ADMIN)
    client = app.test_client()
    login(client, admin)
    body = client.get("/audit/").get_data(as_text=True)
    body = body[body.index("<tbody>"):]
    assert f'href="/dossiers/{w["submitted"].id}"' not in body and "Nguyễn Văn Nộp" not in body
    assert f'href="/council/rounds/{w["round"].id}"' not in body
    assert "Hồ sơ đề cử" in body  # still in words


def test_links_cost_the_same_queries_for_few_and_many_entries(app):
    counts = []
    for size in (1, 8):
        w = world(size)
        counts.append(queries_for(app, w["secretary"], "/audit/"))
        assert db.session.scalar(select(db.func.count(AuditEntry.id))) >= 5 * size
        db.session.close()
        wipe(app)
    assert counts[0] == counts[1], counts
