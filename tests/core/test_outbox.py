"""Email outbox against a real SMTP server (aiosmtpd on 127.0.0.1).

Messages are written in the transaction of the change they announce, delivered by deliver_due() /
`flask outbox send`, and retried with backoff while the SMTP server is down: nothing is lost.
"""
import socket
import threading
import time
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import event, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from honours import create_app
from honours.core import clock, roles
from honours.core.db import db
from honours.core.errors import StaleEdit
from honours.core.outbox import services as outbox
from honours.core.outbox.models import FAILED, PENDING, SENT, OutboxMessage
from honours.nominations import services, states
from honours.nominations.models import Dossier
from tests.conftest import NOW, make_config, wipe
from tests.factories import make_dossier, make_org, make_round, make_user

ORG_EMAIL = "vanphong@hoikhoahoc.example.vn"
NOMINATOR_EMAIL = "can.bo.de.cu@hoikhoahoc.example.vn"
NOMINEE = "Nguyễn Thị Hương Giang"
SUBMITTED_SUBJECT = f"[Trí thức Bắc Ninh tiêu biểu] Đã nhận hồ sơ: {NOMINEE}"
BACKOFF = 60
MAX_ATTEMPTS = 3
# The SMTP client's wait for each reply of the local server. Generous: the server is a thread of this busy test
# process, and on a loaded machine one reply can take over a second; a client that gives up on a message the
# server already accepted retries it, and the counts the tests assert would be off by one (the "23 == 24" flake
# of test_two_workers_at_once_never_send_the_same_message_twice). Only the timeout test uses a short one.
MAIL_TIMEOUT = 15


# ---------------------------------------------------------------- a real SMTP server

class Recorder:
    """aiosmtpd handler: keeps every accepted message; refuses recipients starting with "bounce"."""

    def __init__(self):
        self.envelopes = []
        self.drop_on_quit = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bounce"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        if self.drop_on_quit:  # the connection dies after the message was accepted
            server.transport.abort()
        return "221 Bye"


class SMTPServer:
    """Started on demand, so a test can begin with "SMTP down" on the very port the app is configured with."""

    def __init__(self, port: int):
        self.port = port
        self.handler = Recorder()
        self.controller = None

    def start(self) -> "SMTPServer":
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, server_hostname="smtp.test")
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def envelopes(self):
        return self.handler.envelopes

    def messages(self):
        return [message_from_bytes(e.original_content, policy=policy.default) for e in self.envelopes]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp(smtp_port):
    server = SMTPServer(smtp_port)
    yield server
    server.stop()


@pytest.fixture
def app(database_url, schema, tmp_path, smtp_port):
    """Like conftest's app, but mail really goes out (TESTING would suppress it) to the local test port."""
    app = create_app(make_config(
        database_url, str(tmp_path / "uploads"),
        MAIL_PORT=smtp_port, MAIL_SUPPRESS_SEND=False, MAIL_TIMEOUT=MAIL_TIMEOUT,
        OUTBOX_BACKOFF_SECONDS=BACKOFF, OUTBOX_MAX_ATTEMPTS=MAX_ATTEMPTS,
    ))
    with clock.frozen(NOW):
        with app.app_context():
            yield app
        wipe(app)


# ---------------------------------------------------------------- helpers

def draft_dossier():
    round_ = make_round()
    org = make_org(email=ORG_EMAIL)
    nominator = make_user(roles.NOMINATOR, org, email=NOMINATOR_EMAIL)
    return make_dossier(round_, org, nominator, full_name=NOMINEE), nominator


def outbox_rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.recipient)))


def committed_count() -> int:
    """Counted on a separate connection: only what is really committed."""
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM outbox_message")).scalar_one()


def queue_one(recipient="thu.ky@hoi.example.vn", subject="Thông báo: hồ sơ đã được tiếp nhận",
              body="Kính gửi Quý đơn vị,\nHồ sơ đã được tiếp nhận.") -> int:
    message = outbox.enqueue(recipient, subject, body)
    db.session.commit()
    return message.id


def row(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


# ---------------------------------------------------------------- written with the state change

def test_submit_queues_both_emails_in_its_commit_and_sends_nothing(app, smtp):
    smtp.start()
    dossier, nominator = draft_dossier()
    assert committed_count() == 0

    services.submit(nominator, dossier)

    assert committed_count() == 2
    rows = outbox_rows()
    assert [m.recipient for m in rows] == sorted([ORG_EMAIL, NOMINATOR_EMAIL])
    for message in rows:
        assert message.subject == SUBMITTED_SUBJECT
        assert NOMINEE in message.body and f"/dossiers/{dossier.id}" in message.body
        assert (message.status, message.attempts, message.sent_at, message.last_error) == (PENDING, 0, None, "")
        assert message.next_attempt_at == NOW
    assert db.session.get(Dossier, dossier.id).state == states.SUBMITTED
    assert smtp.envelopes == []  # only the worker sends


def _prepare(action, dossier, nominator):
    """The state change to attempt, the state it starts from and the state it would reach."""
    if action == "submit":
        return (lambda: services.submit(nominator, dossier)), states.DRAFT, states.SUBMITTED
    services.submit(nominator, dossier)
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()
    secretariat = make_user(roles.SECRETARIAT)
    return (lambda: services.decide(secretariat, dossier, "return", reason="Thiếu minh chứng",
                                    supplement_deadline=NOW + timedelta(days=7), confirmed=True)), states.SUBMITTED, states.RETURNED


@pytest.mark.parametrize("action", ["submit", "decide"])
def test_a_state_change_that_fails_at_commit_leaves_no_email_behind(app, action):
    dossier, nominator = draft_dossier()
    change, state_before, state_after = _prepare(action, dossier, nominator)
    assert committed_count() == 0
    written = []

    def database_fails_after_the_flush(session, flush_context):
        if not any(isinstance(obj, OutboxMessage) for obj in session.new):
            return  # an earlier autoflush
        # The dossier UPDATE and the outbox INSERTs have reached the database, inside the transaction...
        connection = session.connection()
        written.append((connection.execute(text("SELECT count(*) FROM outbox_message")).scalar_one(),
                        connection.execute(select(Dossier.state).where(Dossier.id == dossier.id)).scalar_one()))
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))  # ... then the database gives up

    event.listen(Session, "after_flush", database_fails_after_the_flush)
    try:
        with pytest.raises(OperationalError):
            change()
    finally:
        event.remove(Session, "after_flush", database_fails_after_the_flush)
    db.session.rollback()  # what the 500 handler does

    assert written == [(2, state_after)]  # both emails were written with the change ...
    assert committed_count() == 0  # ... and went down with it
    assert outbox_rows() == []
    assert db.session.get(Dossier, dossier.id).state == state_before


def test_a_concurrent_edit_during_submit_leaves_no_email_behind(app):
    dossier, nominator = draft_dossier()
    with db.engine.begin() as connection:  # someone else saves the dossier meanwhile
        connection.execute(update(Dossier).where(Dossier.id == dossier.id).values(version=Dossier.version + 1))

    # StaleEdit when the optimistic lock trips at commit; a bare StaleDataError when an autoflush meets it
    # first (submit lazy-loads for its snapshot); either way the request rolls back.
    with pytest.raises((StaleEdit, StaleDataError)):
        services.submit(nominator, dossier)
    db.session.rollback()

    assert committed_count() == 0
    assert db.session.get(Dossier, dossier.id).state == states.DRAFT


def test_decide_queues_the_return_notice_in_its_commit(app):
    dossier, nominator = draft_dossier()
    services.submit(nominator, dossier)
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()
    secretariat = make_user(roles.SECRETARIAT)

    services.decide(secretariat, dossier, "return", reason="Thiếu bản sao bằng tiến sĩ",
                    supplement_deadline=NOW + timedelta(days=7), confirmed=True)

    rows = outbox_rows()
    assert [m.recipient for m in rows] == sorted([ORG_EMAIL, NOMINATOR_EMAIL])
    for message in rows:
        assert message.subject == f"[Trí thức Bắc Ninh tiêu biểu] Yêu cầu bổ sung hồ sơ: {NOMINEE}"
        assert "Thiếu bản sao bằng tiến sĩ" in message.body
        assert message.status == PENDING


# ---------------------------------------------------------------- delivery

def test_deliver_due_sends_to_the_smtp_server_with_vietnamese_intact(app, smtp):
    smtp.start()
    dossier, nominator = draft_dossier()
    services.submit(nominator, dossier)
    queued = {m.recipient: m.body for m in outbox_rows()}

    assert outbox.deliver_due() == {SENT: 2, PENDING: 0, FAILED: 0}

    assert sorted(r for e in smtp.envelopes for r in e.rcpt_tos) == sorted(queued)
    assert {e.mail_from for e in smtp.envelopes} == {"no-reply@honours.local"}
    for envelope, message in zip(smtp.envelopes, smtp.messages()):
        headers = envelope.original_content.split(b"\r\n\r\n", 1)[0]
        headers.decode("ascii")  # Vietnamese travels MIME-encoded, not as raw 8-bit
        recipient = envelope.rcpt_tos[0]
        assert message["To"] == recipient
        assert message["Subject"] == SUBMITTED_SUBJECT
        assert message["From"].addresses[0].display_name == "Ban thư ký"
        assert message.get_content_charset() == "utf-8"
        assert message.get_content() == queued[recipient].replace("\n", "\r\n") + "\r\n"  # canonical CRLF text
    for message in outbox_rows():
        assert (message.status, message.attempts, message.sent_at, message.last_error) == (SENT, 1, NOW, "")

    assert outbox.deliver_due() == {SENT: 0, PENDING: 0, FAILED: 0}  # sent once, never again
    assert len(smtp.envelopes) == 2


def test_smtp_down_keeps_the_message_and_retries_after_the_backoff(app, smtp):
    message_id = queue_one()

    assert outbox.deliver_due() == {SENT: 0, PENDING: 1, FAILED: 0}  # nothing listens on the port
    message = row(message_id)
    assert (message.status, message.attempts, message.sent_at) == (PENDING, 1, None)
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at == NOW + timedelta(seconds=BACKOFF)

    smtp.start()
    with clock.frozen(NOW + timedelta(seconds=BACKOFF - 1)):  # not due yet: left alone
        assert outbox.deliver_due() == {SENT: 0, PENDING: 0, FAILED: 0}
    assert row(message_id).attempts == 1
    assert smtp.envelopes == []

    with clock.frozen(NOW + timedelta(seconds=BACKOFF)):
        assert outbox.deliver_due() == {SENT: 1, PENDING: 0, FAILED: 0}
    message = row(message_id)
    assert (message.status, message.attempts, message.last_error) == (SENT, 2, "")
    assert message.sent_at == NOW + timedelta(seconds=BACKOFF)
    [received] = smtp.messages()
    assert received["Subject"] == "Thông báo: hồ sơ đã được tiếp nhận"
    assert received.get_content() == "Kính gửi Quý đơn vị,\r\nHồ sơ đã được tiếp nhận.\r\n"


def test_backoff_doubles_and_the_message_fails_after_max_attempts(app, smtp):
    message_id = queue_one()
    at = NOW
    for attempt in range(1, MAX_ATTEMPTS):
        with clock.frozen(at):
            assert outbox.deliver_due() == {SENT: 0, PENDING: 1, FAILED: 0}
        message = row(message_id)
        delay = timedelta(seconds=BACKOFF * 2 ** (attempt - 1))  # 60 s, then 120 s
        assert (message.status, message.attempts, message.next_attempt_at) == (PENDING, attempt, at + delay)
        at += delay

    with clock.frozen(at):
        assert outbox.deliver_due() == {SENT: 0, PENDING: 0, FAILED: 1}
    message = row(message_id)
    assert (message.status, message.attempts, message.sent_at) == (FAILED, MAX_ATTEMPTS, None)
    assert message.last_error

    smtp.start()
    with clock.frozen(at + timedelta(days=30)):  # a failed message is left for a human to look at
        assert outbox.deliver_due() == {SENT: 0, PENDING: 0, FAILED: 0}
    assert smtp.envelopes == []


def test_backoff_is_capped_at_one_day(app):
    assert outbox.backoff(1) == timedelta(seconds=BACKOFF)
    assert outbox.backoff(4) == timedelta(seconds=8 * BACKOFF)
    assert outbox.backoff(30) == timedelta(days=1)


def test_a_refused_recipient_does_not_hold_up_the_others(app, smtp):
    smtp.start()
    bounced = queue_one(recipient="bounce@hoi.example.vn")
    fine = queue_one(recipient="thu.ky@hoi.example.vn")

    assert outbox.deliver_due() == {SENT: 1, PENDING: 1, FAILED: 0}

    assert row(fine).status == SENT
    assert (row(bounced).status, row(bounced).attempts) == (PENDING, 1)
    assert "SMTPRecipientsRefused" in row(bounced).last_error
    assert [e.rcpt_tos for e in smtp.envelopes] == [["thu.ky@hoi.example.vn"]]


def test_a_silent_smtp_server_times_out_instead_of_hanging(app, smtp_port):
    # Accepts TCP connections but never says hello: without MAIL_TIMEOUT the worker would wait forever.
    app.config["MAIL_TIMEOUT"] = 1
    silent = socket.create_server(("127.0.0.1", smtp_port))
    message_id = queue_one()
    outcome = {}

    def worker():
        with app.app_context():
            outcome["counts"] = outbox.deliver_due()

    started = time.monotonic()
    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    thread.join(timeout=10)
    hung = thread.is_alive()
    silent.close()  # resets the waiting connection, so a hung worker is released
    thread.join(timeout=10)
    assert not hung, "deliver_due() ignored MAIL_TIMEOUT and hung on a silent SMTP server"
    assert time.monotonic() - started < 5
    assert outcome["counts"] == {SENT: 0, PENDING: 1, FAILED: 0}
    message = row(message_id)
    assert (message.status, message.attempts) == (PENDING, 1)
    assert "timed out" in message.last_error


def test_a_connection_lost_after_the_message_was_accepted_does_not_send_it_twice(app, smtp):
    smtp.start()
    smtp.handler.drop_on_quit = True
    message_id = queue_one()

    assert outbox.deliver_due() == {SENT: 1, PENDING: 0, FAILED: 0}
    assert (row(message_id).status, row(message_id).attempts) == (SENT, 1)
    assert len(smtp.envelopes) == 1


# ---------------------------------------------------------------- the CLI

def test_flask_outbox_send_reports_counts_and_delivers(app, smtp):
    first = queue_one(recipient="a@hoi.example.vn")
    second = queue_one(recipient="b@hoi.example.vn")
    runner = app.test_cli_runner()

    result = runner.invoke(args=["outbox", "send"])  # SMTP still down
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "sent=0 retry_later=2 failed=0"

    smtp.start()
    with clock.frozen(NOW + timedelta(seconds=BACKOFF)):
        result = runner.invoke(args=["outbox", "send", "--limit", "1"])
        assert result.output.strip() == "sent=1 retry_later=0 failed=0"
        result = runner.invoke(args=["outbox", "send"])
        assert result.output.strip() == "sent=1 retry_later=0 failed=0"
        result = runner.invoke(args=["outbox", "send"])
        assert result.output.strip() == "sent=0 retry_later=0 failed=0"

    assert (row(first).status, row(second).status) == (SENT, SENT)
    assert sorted(e.rcpt_tos[0] for e in smtp.envelopes) == ["a@hoi.example.vn", "b@hoi.example.vn"]
