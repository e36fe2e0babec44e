"""Forgotten password: the same answer whether or not the email exists, a signed single-use link with expiry,
throttled per email and per address, no email for locked accounts, other sessions end, two-factor login kept."""
import re
from datetime import timedelta

from sqlalchemy import func, select

from honours.auth import password_reset, totp
from honours.auth.models import User
from honours.core import clock, roles
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.core.outbox.models import OutboxMessage
from tests.conftest import login
from tests.factories import PASSWORD, make_user

FORGOT = "/password/forgot"
NEW_PASSWORD = "Mat-khau-moi-2027"


def ask(client, email, ip="10.1.1.1"):
    return client.post(FORGOT, data={"email": email}, environ_base={"REMOTE_ADDR": ip}, follow_redirects=True)


def emails_to(address: str) -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient == address)
                                   .order_by(OutboxMessage.id)))


def link_in(body: str) -> str:
    return re.search(r"http\S+(/password/reset/\S+)", body).group(1)


def choose(client, link, password=NEW_PASSWORD):
    return client.post(link, data={"new_password": password, "confirm": password})


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_the_login_page_links_to_the_form(client):
    assert 'href="/password/forgot"' in client.get("/login").get_data(as_text=True)
    assert client.get(FORGOT).status_code == 200


def test_unknown_email_gets_the_same_page_and_no_email(app, client):
    user = make_user(roles.COUNCIL, email="thanhvien@example.vn")
    known = ask(client, " ThanhVien@Example.vn ")
    unknown = ask(client, "khong-co@example.vn")
    assert known.status_code == unknown.status_code == 200
    assert known.request.path == unknown.request.path == "/password/forgot/sent"
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert len(emails_to(user.email)) == 1
    assert emails_to("khong-co@example.vn") == []
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1


def test_the_link_sets_a_new_password_once_and_ends_other_sessions(app, client):
    user = make_user(roles.SECRETARIAT)
    elsewhere = app.test_client()
    login(elsewhere, user)
    assert elsewhere.get("/eligibility/").status_code == 200
    ask(client, user.email)
    link = link_in(emails_to(user.email)[0])
    page = client.get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert user.email in page.get_data(as_text=True)
    response = choose(client, link)
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert fresh(user).check_password(NEW_PASSWORD) and not fresh(user).check_password(PASSWORD)
    assert elsewhere.get("/eligibility/").status_code == 302  # the other session has ended
    assert client.get("/eligibility/").status_code == 302  # and the reset did not sign anyone in
    # Single use: the same link again is refused with a clear page, the password stays.
    again = choose(client, link, "Khac-hoan-toan-2028")
    assert again.status_code == 400 and "không hợp lệ hoặc đã được sử dụng" in again.get_data(as_text=True)
    assert fresh(user).check_password(NEW_PASSWORD)
    assert client.post("/login", data={"email": user.email, "password": NEW_PASSWORD}).status_code == 302
    actions = list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.entity_type == "user", AuditEntry.entity_id == user.id).order_by(AuditEntry.id)))
    assert actions[:2] == ["password_reset_request", "password_reset"]


def test_an_expired_link_is_refused(app, client):
    user = make_user(roles.COUNCIL)
    ask(client, user.email)
    link = link_in(emails_to(user.email)[0])
    later = clock.now() + timedelta(minutes=app.config["PASSWORD_RESET_MINUTES"], seconds=1)
    with clock.frozen(later):
        page = client.get(link)
        assert page.status_code == 400 and "đã hết hạn" in page.get_data(as_text=True)
        assert 'href="/password/forgot"' in page.get_data(as_text=True)
        assert choose(client, link).status_code == 400
    assert fresh(user).check_password(PASSWORD)


def test_a_forged_link_and_a_link_signed_for_invitations_are_refused(app, client):
    from honours.auth import invitations

    user = make_user(roles.COUNCIL)
    for link in ("/password/reset/not-a-token", "/password/reset/" + invitations.token_for(user)):
        assert choose(client, link).status_code == 400
    assert fresh(user).check_password(PASSWORD)


def test_locking_the_account_voids_its_link_and_locked_accounts_get_no_email(app, client):
    from honours.auth import services

    admin, user = make_user(roles.ADMIN), make_user(roles.COUNCIL)
    ask(client, user.email)
    link = link_in(emails_to(user.email)[0])
    services.set_active(admin, fresh(user), False, confirmed=True)
    assert choose(client, link).status_code == 400
    services.set_active(admin, fresh(user), True, confirmed=True)
    assert choose(client, link).status_code == 400  # an unlock does not revive it (the session generation moved)
    services.set_active(admin, fresh(user), False, confirmed=True)
    ask(client, user.email)
    assert len(emails_to(user.email)) == 1


def test_requests_are_throttled_per_email_whether_or_not_it_exists(app, client):
    user = make_user(roles.COUNCIL)
    limit = app.config["PASSWORD_RESET_PER_EMAIL"]
    for n in range(limit):
        assert ask(client, user.email, ip=f"10.2.0.{n}").request.path == "/password/forgot/sent"
    refused = ask(client, user.email, ip="10.2.0.99")
    assert refused.status_code == 429 and "quá nhiều yêu cầu" in refused.get_data(as_text=True)
    assert len(emails_to(user.email)) == limit
    for n in range(limit):
        ask(client, "ai-do@example.vn", ip=f"10.3.0.{n}")
    assert ask(client, "ai-do@example.vn", ip="10.3.0.99").status_code == 429  # the same answer: nothing revealed
    # The window passes: allowed again.
    with clock.frozen(clock.now() + timedelta(minutes=app.config["PASSWORD_RESET_WINDOW_MINUTES"], seconds=1)):
        assert ask(client, user.email).request.path == "/password/forgot/sent"
    assert len(emails_to(user.email)) == limit + 1


def test_requests_are_throttled_per_address(app, client):
    limit = app.config["PASSWORD_RESET_PER_IP"]
    for n in range(limit):
        ask(client, f"nguoi-{n}@example.vn", ip="10.4.4.4")
    assert ask(client, "nguoi-cuoi@example.vn", ip="10.4.4.4").status_code == 429
    assert ask(client, "nguoi-cuoi@example.vn", ip="10.4.4.5").status_code == 200


def test_two_factor_login_is_kept_after_a_reset(app, client):
    user = make_user(roles.SECRETARIAT)
    user.totp_secret, user.totp_enabled_at = totp.new_secret(), clock.now()
    db.session.commit()
    ask(client, user.email)
    assert choose(client, link_in(emails_to(user.email)[0])).status_code == 302
    assert fresh(user).totp_enabled
    response = client.post("/login", data={"email": user.email, "password": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/login/two-factor"
    assert client.get("/eligibility/").status_code == 302  # not signed in before the code


def test_the_new_password_follows_the_policy(app, client):
    user = make_user(roles.COUNCIL)
    ask(client, user.email)
    link = link_in(emails_to(user.email)[0])
    weak = choose(client, link, "1234567890")
    assert weak.status_code == 422 and "gồm cả chữ và số" in weak.get_data(as_text=True)
    assert choose(client, link).status_code == 302  # the link still works after a refused attempt


def test_no_reset_request_writes_the_address_or_email_in_clear(app, client):
    ask(client, "bi-mat@example.vn")
    from honours.core.ratelimit import RateLimitHit

    buckets = " ".join(db.session.scalars(select(RateLimitHit.bucket)))
    assert "bi-mat" not in buckets and "10.1.1.1" not in buckets
    assert password_reset.RESET_REQUESTED.code == "auth.password_reset_requested"


def test_an_invited_account_that_lost_its_invitation_can_choose_its_password_by_reset(app, client):
    from honours.auth import invitations

    user = make_user(roles.COUNCIL)
    user.password_hash = invitations.unusable_password()
    db.session.commit()
    invitation = invitations.token_for(user)
    ask(client, user.email)
    assert choose(client, link_in(emails_to(user.email)[0])).status_code == 302
    assert fresh(user).check_password(NEW_PASSWORD) and not invitations.is_pending(fresh(user))
    expired_invitation = client.get("/invitation/" + invitation)
    assert expired_invitation.status_code == 400 and 'href="/password/forgot"' in expired_invitation.get_data(
        as_text=True)
