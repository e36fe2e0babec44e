"""Account management: invitation only (nobody but the owner sets a password), editing audited in words, search
and natural sort on the users list, lock and unlock confirmed."""
import re

import pytest
from sqlalchemy import select

from honours.auth import accounts, invitations, services
from honours.auth.models import User, natural_key
from honours.core import roles
from honours.core.audit import AuditEntry
from honours.core.confirm import ConfirmationNeeded
from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.core.outbox.models import OutboxMessage
from tests.conftest import login
from tests.core.test_query_counts import count_queries
from tests.factories import make_org, make_user

TYPED = "Mat-khau-cua-admin-2026"


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def entries(user: User) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "user", AuditEntry.entity_id == user.id).order_by(AuditEntry.id)))


def signed_in(app, user):
    client = app.test_client()
    login(client, user)
    return client


def form_of(user: User, **changes) -> dict:
    data = {"email": user.email, "full_name": user.full_name, "role": user.role,
            "organisation_id": str(user.organisation_id or 0)}
    if user.is_chair:
        data["is_chair"] = "y"
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


# ---------------------------------------------------------------- invitation only

def test_creating_an_account_sends_an_invitation_and_asks_no_password(app):
    admin = make_user(roles.ADMIN)
    client = signed_in(app, admin)
    page = client.get("/users/new").get_data(as_text=True)
    assert 'type="password"' not in page and 'name="password"' not in page
    response = client.post("/users/new", data={"email": "Moi@Example.vn", "full_name": "Người Mới", "role": "council",
                                                "organisation_id": "0", "password": TYPED})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "moi@example.vn"))
    assert invitations.is_pending(user) and not user.check_password(TYPED)  # the posted password is ignored
    body = db.session.scalar(select(OutboxMessage.body).where(OutboxMessage.recipient == "moi@example.vn"))
    assert re.search(r"/invitation/\S+", body)
    assert [(e.action, e.to_state, e.actor_id) for e in entries(user)] == [("create", "council", admin.id)]


def test_no_route_lets_a_manager_set_someone_elses_password(app):
    admin = make_user(roles.ADMIN)
    target = make_user(roles.COUNCIL)
    before = fresh(target).password_hash
    client = signed_in(app, admin)
    routes = [rule for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/users/") and "POST" in rule.methods]
    assert {rule.endpoint for rule in routes} >= {"users.create", "users.edit", "users.toggle_active"}
    for rule in routes:
        url = rule.rule.replace("<int:user_id>", str(target.id))
        for extra in ({}, {"confirmed": "1"}):
            client.post(url, data={**form_of(target), "active": "1", "password": TYPED, "new_password": TYPED,
                                   "confirm": TYPED, **extra})
    assert fresh(target).password_hash == before and not fresh(target).check_password(TYPED)
    with pytest.raises(TypeError):
        accounts.invite_user(admin, "x@example.vn", "X", roles.COUNCIL, password=TYPED)


def test_the_secretariat_cannot_invite_an_admin_even_through_the_service(app):
    secretary = make_user(roles.SECRETARIAT)
    with pytest.raises(RuleViolation):
        accounts.invite_user(secretary, "quan-tri@example.vn", "Quản trị", roles.ADMIN)


# ---------------------------------------------------------------- editing

def test_editing_an_account_is_audited_with_old_and_new_values_in_words(app):
    admin = make_user(roles.ADMIN)
    old_org, new_org = make_org("Hội Luật gia"), make_org("Hội Nhà báo")
    user = make_user(roles.NOMINATOR, old_org, email="canbo@example.vn", full_name="Trần Văn A")
    client = signed_in(app, admin)
    response = client.post(f"/users/{user.id}/edit", data=form_of(
        user, full_name="Trần Văn Bình", email="CanBo.Moi@example.vn", organisation_id=str(new_org.id)))
    assert response.status_code == 302
    user = fresh(user)
    assert (user.full_name, user.email, user.organisation_id) == ("Trần Văn Bình", "canbo.moi@example.vn", new_org.id)
    edit = entries(user)[-1]
    assert (edit.action, edit.actor_id, edit.reason_code) == ("edit", admin.id, "auth.account_edited")
    assert "“Trần Văn A” → “Trần Văn Bình”" in edit.reason
    assert "canbo@example.vn → canbo.moi@example.vn" in edit.reason
    assert "Hội Luật gia → Hội Nhà báo" in edit.reason
    client.get("/lang/en")
    assert "Account edited:" in client.get("/audit/").get_data(as_text=True)


def test_a_change_of_role_or_chair_ends_the_users_sessions_and_a_name_change_does_not(app):
    admin = make_user(roles.ADMIN)
    member = make_user(roles.COUNCIL, full_name="Lê Thị C")
    session = signed_in(app, member)
    assert session.get("/").status_code == 200 and "/login" not in session.get("/reviews/").headers.get(
        "Location", "")
    signed_in(app, admin).post(f"/users/{member.id}/edit", data=form_of(member, full_name="Lê Thị Cúc"))
    assert "/login" not in session.get("/reviews/").headers.get("Location", "")
    signed_in(app, admin).post(f"/users/{member.id}/edit", data=form_of(fresh(member), is_chair="y"))
    assert fresh(member).is_chair
    assert "/login" in session.get("/reviews/").headers.get("Location", "")
    edit = entries(member)[-1]
    assert "chủ tịch hội đồng: không → có" in edit.reason
    session = signed_in(app, fresh(member))
    signed_in(app, admin).post(f"/users/{member.id}/edit", data=form_of(fresh(member), role="secretariat",
                                                                         is_chair=None))
    assert fresh(member).role == roles.SECRETARIAT
    assert "/login" in session.get("/reviews/").headers.get("Location", "")
    edit = entries(member)[-1]
    assert (edit.from_state, edit.to_state) == ("council", "secretariat")
    assert "vai trò Thành viên hội đồng → Thư ký" in edit.reason


def test_an_email_already_used_is_refused_and_nothing_changes(app):
    admin = make_user(roles.ADMIN)
    make_user(roles.COUNCIL, email="da-co@example.vn")
    user = make_user(roles.COUNCIL, email="cua-toi@example.vn")
    response = signed_in(app, admin).post(f"/users/{user.id}/edit", data=form_of(user, email="Da-Co@example.vn"))
    assert response.status_code == 422 and "đã được dùng" in response.get_data(as_text=True)
    assert fresh(user).email == "cua-toi@example.vn" and entries(user) == []


def test_an_email_taken_meanwhile_is_refused_by_the_unique_index(app, monkeypatch):
    admin = make_user(roles.ADMIN)
    make_user(roles.COUNCIL, email="vua-lay@example.vn")
    user = make_user(roles.COUNCIL, email="cu@example.vn")
    monkeypatch.setattr(accounts, "check_account_fields", lambda *args, **kwargs: None)  # checked before the race
    with pytest.raises(RuleViolation, match="đã được dùng"):
        accounts.update_user(admin, fresh(user), "vua-lay@example.vn", user.full_name, roles.COUNCIL, None, False)
    with pytest.raises(RuleViolation, match="đã được dùng"):
        accounts.invite_user(admin, "vua-lay@example.vn", "Ai Đó", roles.COUNCIL)
    assert fresh(user).email == "cu@example.vn"


def test_an_edit_that_changes_nothing_writes_nothing(app):
    admin, user = make_user(roles.ADMIN), make_user(roles.COUNCIL)
    generation = fresh(user).session_generation
    assert accounts.update_user(admin, fresh(user), user.email, user.full_name, user.role, None, False) is False
    assert entries(user) == [] and fresh(user).session_generation == generation


def test_the_secretariat_edits_council_and_nominator_accounts_only(app):
    secretary, admin = make_user(roles.SECRETARIAT), make_user(roles.ADMIN)
    member = make_user(roles.COUNCIL)
    client = signed_in(app, secretary)
    assert client.get(f"/users/{admin.id}/edit").status_code == 404
    assert client.post(f"/users/{admin.id}/edit", data=form_of(admin, full_name="X")).status_code == 404
    refused = client.post(f"/users/{member.id}/edit", data=form_of(member, role="admin"))
    assert refused.status_code == 422 and fresh(member).role == roles.COUNCIL
    with pytest.raises(RuleViolation):
        accounts.update_user(secretary, fresh(member), member.email, member.full_name, roles.ADMIN, None, False)
    with pytest.raises(RuleViolation):
        accounts.update_user(secretary, fresh(admin), admin.email, "X", roles.ADMIN, None, False)


def test_a_manager_cannot_change_their_own_role_and_a_nominator_needs_an_organisation(app):
    admin = make_user(roles.ADMIN)
    with pytest.raises(RuleViolation):
        accounts.update_user(admin, admin, admin.email, admin.full_name, roles.COUNCIL, None, False)
    member = make_user(roles.COUNCIL)
    with pytest.raises(RuleViolation, match="phải thuộc một đơn vị"):
        accounts.update_user(admin, member, member.email, member.full_name, roles.NOMINATOR, None, False)


def test_a_new_email_on_a_pending_invitation_sends_the_invitation_there(app):
    admin = make_user(roles.ADMIN)
    user = accounts.invite_user(admin, "sai-dia-chi@example.vn", "Phạm D", roles.COUNCIL)
    old_token = invitations.token_for(user)
    accounts.update_user(admin, fresh(user), "dung-dia-chi@example.vn", "Phạm D", roles.COUNCIL, None, False)
    assert db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.recipient == "dung-dia-chi@example.vn"))
    with pytest.raises(RuleViolation):
        invitations.user_for_token(old_token)


# ---------------------------------------------------------------- the list: search, natural sort, status

def emails_listed(client, query: str = "") -> list[str]:
    page = client.get("/users/" + query).get_data(as_text=True)
    return re.findall(r"<td>([^<@]+@[^<]+)</td>", page)


def test_users_sort_naturally(app):
    admin = make_user(roles.ADMIN)
    for n in (10, 1, 2, 21, 3):
        make_user(roles.NOMINATOR, email=f"donvi{n}@example.vn")
    listed = [email for email in emails_listed(signed_in(app, admin)) if email.startswith("donvi")]
    assert listed == ["donvi1@example.vn", "donvi2@example.vn", "donvi3@example.vn", "donvi10@example.vn",
                      "donvi21@example.vn"]
    assert natural_key("DonVi2@x.vn") < natural_key("donvi10@x.vn") < natural_key("donvi10a@x.vn")


def test_users_are_found_by_name_without_diacritics_or_by_email(app):
    admin = make_user(roles.ADMIN)
    make_user(roles.COUNCIL, email="nva@example.vn", full_name="Nguyễn Văn Đức")
    make_user(roles.COUNCIL, email="ttb@example.vn", full_name="Trần Thị Bình")
    client = signed_in(app, admin)
    assert emails_listed(client, "?q=nguyen+van+duc") == ["nva@example.vn"]
    assert emails_listed(client, "?q=ĐỨC") == ["nva@example.vn"]
    assert emails_listed(client, "?q=TTB@") == ["ttb@example.vn"]
    assert emails_listed(client, "?q=%25") == []  # a LIKE wildcard is searched for as itself
    assert "Không có tài khoản phù hợp." in client.get("/users/?q=khong-ai").get_data(as_text=True)


def test_users_are_filtered_by_status(app):
    admin = make_user(roles.ADMIN)
    locked = make_user(roles.COUNCIL, email="bi-khoa@example.vn", active=False)
    accounts.invite_user(admin, "moi-moi@example.vn", "Mới", roles.COUNCIL)
    client = signed_in(app, admin)
    assert emails_listed(client, "?status=locked") == [locked.email]
    assert emails_listed(client, "?status=invited") == ["moi-moi@example.vn"]
    assert locked.email not in emails_listed(client, "?status=active")


def test_the_list_runs_the_same_queries_for_few_and_many_accounts(app):
    admin = make_user(roles.ADMIN)
    client = signed_in(app, admin)
    counts = []
    for size in (3, 60):
        for n in range(size):
            make_user(roles.NOMINATOR, make_org(), email=f"so-{size}-{n}@example.vn")
        client.get("/users/?q=so")
        with count_queries() as statements:
            assert client.get("/users/?q=so&status=active").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] and counts[0] <= 8


# ---------------------------------------------------------------- lock and unlock, confirmed

def test_locking_asks_for_confirmation_stating_the_consequence(app):
    admin = make_user(roles.ADMIN)
    user = make_user(roles.COUNCIL, email="se-khoa@example.vn")
    victim_session = signed_in(app, user)
    client = signed_in(app, admin)
    assert 'name="active" value="0"' in client.get("/users/").get_data(as_text=True)
    page = client.post(f"/users/{user.id}/active", data={"active": "0"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "bị đăng xuất ngay" in text and "không thể đăng nhập" in text
    assert 'name="confirmed" value="1"' in text and 'name="active" value="0"' in text
    assert fresh(user).active and entries(user) == []
    assert client.post(f"/users/{user.id}/active", data={"active": "0", "confirmed": "1"}).status_code == 302
    assert not fresh(user).active
    assert [(e.action, e.from_state, e.to_state, e.actor_id) for e in entries(user)] == [
        ("lock", "active", "locked", admin.id)]
    assert "/login" in victim_session.get("/reviews/").headers.get("Location", "")
    # Unlocking is confirmed too; the same confirmation posted twice does not lock it back.
    page = client.post(f"/users/{user.id}/active", data={"active": "1"}).get_data(as_text=True)
    assert "đăng nhập được" in page and not fresh(user).active
    for _ in range(2):
        client.post(f"/users/{user.id}/active", data={"active": "1", "confirmed": "1"})
    assert fresh(user).active and [e.action for e in entries(user)] == ["lock", "unlock"]


def test_the_service_refuses_an_unconfirmed_lock(app):
    admin, user = make_user(roles.ADMIN), make_user(roles.COUNCIL)
    with pytest.raises(ConfirmationNeeded):
        services.set_active(admin, user, False)
    assert fresh(user).active
