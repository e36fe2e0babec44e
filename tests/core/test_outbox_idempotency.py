"""Outbox delivery when workers crash or run side by side (a real SMTP server: aiosmtpd on 127.0.0.1).

The guarantee (honours/outbox/services.py): a message is claimed before the SMTP conversation, so two workers
never send it both; a worker that dies between the SMTP send and recording it leaves the message "sending",
and after the lease it is sent once more with the identical Message-ID, so the extra copy is recognisable.
"""
import asyncio
import threading
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from honours.core import clock
from honours.core.db import db
from honours.core.outbox import services as outbox
from honours.core.outbox.models import FAILED, PENDING, SENDING, SENT, OutboxMessage
from tests.conftest import NOW
from tests.core.test_outbox import MAX_ATTEMPTS, Recorder, app, queue_one, row, smtp, smtp_port  # noqa: F401  (fixtures)

LEASE = timedelta(seconds=900)  # the default OUTBOX_LEASE_SECONDS


class Crash(BaseException):
    """The worker process dies here: nothing after this point runs, not even `except Exception` blocks."""


def crash_once_at_mark(monkeypatch):
    def dies(message_id, token):
        monkeypatch.setattr(outbox, "_mark_sent", real)  # the next worker process runs the real code
        raise Crash()

    real = outbox._mark_sent
    monkeypatch.setattr(outbox, "_mark_sent", dies)


def run_crashing_worker():
    with pytest.raises(Crash):
        outbox.deliver_due()
    db.session.rollback()  # the process is gone: whatever it had not committed is lost
    db.session.remove()


def message_ids(smtp) -> list[str]:
    return [message["Message-ID"] for message in smtp.messages()]


def test_every_attempt_carries_the_same_message_id_derived_from_the_outbox_row(app, smtp):
    smtp.start()
    message_id = queue_one()

    assert outbox.deliver_due() == {SENT: 1, PENDING: 0, FAILED: 0}

    expected = f"<outbox.{message_id}.{NOW:%Y%m%d%H%M%S}@honours.local>"
    assert outbox.message_id_header(row(message_id)) == expected
    assert message_ids(smtp) == [expected]
    message = row(message_id)
    assert (message.status, message.attempts, message.claim_token, message.claimed_at) == (SENT, 1, None, None)


def test_a_database_blip_while_recording_the_send_is_retried_and_the_email_goes_out_once(app, smtp, monkeypatch):
    smtp.start()
    message_id = queue_one()
    real, calls = outbox._mark_sent, []

    def flaky(message_id, token):
        calls.append(message_id)
        if len(calls) == 1:
            raise OperationalError("UPDATE outbox_message", {}, Exception("server closed the connection"))
        return real(message_id, token)

    monkeypatch.setattr(outbox, "_mark_sent", flaky)
    assert outbox.deliver_due() == {SENT: 1, PENDING: 0, FAILED: 0}

    assert calls == [message_id, message_id]
    assert len(smtp.envelopes) == 1
    assert (row(message_id).status, row(message_id).attempts) == (SENT, 1)
    assert outbox.deliver_due() == {SENT: 0, PENDING: 0, FAILED: 0}
    assert len(smtp.envelopes) == 1


def test_a_crash_between_send_and_mark_resends_once_after_the_lease_with_the_same_message_id(app, smtp, monkeypatch):
    smtp.start()
    message_id = queue_one()
    crash_once_at_mark(monkeypatch)

    run_crashing_worker()

    assert len(smtp.envelopes) == 1  # it went out ...
    message = row(message_id)
    assert (message.status, message.attempts, message.claimed_at) == (SENDING, 1, NOW)  # ... unrecorded
    assert message.claim_token

    # The next runs (cron, every minute) leave it alone while the dead worker's lease runs: it may be mid-send.
    for seconds in (60, 300, LEASE.total_seconds() - 1):
        with clock.frozen(NOW + timedelta(seconds=seconds)):
            assert outbox.deliver_due() == {SENT: 0, PENDING: 0, FAILED: 0}
    assert len(smtp.envelopes) == 1

    with clock.frozen(NOW + LEASE):
        assert outbox.deliver_due() == {SENT: 1, PENDING: 0, FAILED: 0}
        assert outbox.deliver_due() == {SENT: 0, PENDING: 0, FAILED: 0}

    # At most one extra copy, and it is recognisably the same email.
    ids = message_ids(smtp)
    assert len(ids) == 2 and ids[0] == ids[1] == outbox.message_id_header(row(message_id))
    assert [e.rcpt_tos for e in smtp.envelopes] == [["thu.ky@hoi.example.vn"]] * 2
    message = row(message_id)
    assert (message.status, message.attempts, message.sent_at, message.claim_token) == (SENT, 2, NOW + LEASE, None)


def test_a_crash_before_the_smtp_server_answered_is_also_sent_after_the_lease(app, smtp, monkeypatch):
    smtp.start()
    message_id = queue_one()

    def dies_before_sending(message):
        raise Crash()

    real_send = outbox._send
    monkeypatch.setattr(outbox, "_send", dies_before_sending)
    run_crashing_worker()
    monkeypatch.setattr(outbox, "_send", real_send)
    assert smtp.envelopes == [] and row(message_id).status == SENDING

    with clock.frozen(NOW + LEASE):
        assert outbox.deliver_due() == {SENT: 1, PENDING: 0, FAILED: 0}
    assert message_ids(smtp) == [outbox.message_id_header(row(message_id))]  # nothing lost


def test_an_interrupted_last_attempt_is_marked_failed_for_a_person_not_resent(app, smtp, monkeypatch):
    smtp.start()
    message_id = queue_one()
    db.session.execute(update(OutboxMessage).values(attempts=MAX_ATTEMPTS - 1))
    db.session.commit()
    crash_once_at_mark(monkeypatch)

    run_crashing_worker()  # the last allowed attempt: sent, then the worker dies
    assert row(message_id).attempts == MAX_ATTEMPTS

    with clock.frozen(NOW + LEASE):
        assert outbox.deliver_due() == {SENT: 0, PENDING: 0, FAILED: 1}
    message = row(message_id)
    assert (message.status, message.attempts, message.claim_token) == (FAILED, MAX_ATTEMPTS, None)
    assert "uncertain" in message.last_error
    assert len(smtp.envelopes) == 1


def test_a_claimed_message_is_invisible_to_other_workers_until_its_lease_ends(app):
    message_id = queue_one()

    first = outbox._claim_next(set())
    assert first is not None and first[0].id == message_id and first[2] is False
    assert outbox._claim_next(set()) is None  # a second worker finds nothing to do

    with clock.frozen(NOW + LEASE):  # the first worker is presumed dead: a second one takes the message over
        second = outbox._claim_next(set())
    assert second is not None and second[0].id == message_id and second[2] is True
    assert second[1] != first[1]

    # The first worker was merely slow: its late bookkeeping must not overwrite the new holder's claim.
    assert outbox._mark_sent(message_id, first[1]) is False
    assert row(message_id).status == SENDING
    assert outbox._mark_sent(message_id, second[1]) is True
    assert row(message_id).status == SENT


class SlowRecorder(Recorder):
    """Takes a little while to accept each message, so two workers really overlap."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.02)
        return await super().handle_DATA(server, session, envelope)


def test_two_workers_at_once_never_send_the_same_message_twice(app, smtp):
    smtp.handler = SlowRecorder()
    smtp.start()
    queued = [queue_one(recipient=f"nguoi.nhan{n:02d}@hoi.example.vn") for n in range(24)]
    db.session.remove()
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with app.app_context():
                start.wait(timeout=10)
                results.append(outbox.deliver_due())
        except BaseException as error:  # surfaced below, with the thread's traceback
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(results) == 2

    assert sum(r[SENT] for r in results) == len(queued)
    assert all(r[SENT] > 0 for r in results), results  # both really worked (and so raced for rows)
    received = [e.rcpt_tos[0] for e in smtp.envelopes]
    assert sorted(received) == sorted(set(received)) and len(received) == len(queued)
    assert len(set(message_ids(smtp))) == len(queued)
    for message_id in queued:
        assert (row(message_id).status, row(message_id).attempts) == (SENT, 1)
