"""One function per category of data past its retention period, each returning how many items it removes (or,
with dry_run, would remove); run() applies them all and writes one audit entry with the counts.

Invitation and password-reset links are signed, expiring tokens (itsdangerous): nothing is stored, so there is
nothing to delete. Redis throttling keys expire by themselves (EXPIRE); the database rows are purged here.
"""
import os
import time
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, func, or_, select

from honours.auth.models import EndedSession, LoginThrottle
from honours.core import audit, clock, storage
from honours.core.audit import N_, Reason
from honours.core.db import db
from honours.imports import reports
from honours.nominations import states
from honours.nominations.models import Attachment, Dossier
from honours.rounds.models import Round
from honours.talent.models import DECLINED, DRAFT, RETIRED, PoolEntry, Referral, ReferralAttachment

ENTITY = "retention"
ACTION = "retention_run"
# Entries written before referral attachments had a category.
RAN = Reason("retention.ran", N_(
    "Xoá dữ liệu hết thời hạn lưu trữ: %(unhonoured_attachments)s tệp đính kèm của hồ sơ không được tôn vinh, "
    "%(login_throttles)s bản ghi đăng nhập sai, %(import_reports)s báo cáo lỗi nhập Excel, "
    "%(ended_sessions)s phiên đã đăng xuất."))
# Since referral attachments have their own category (older entries keep the code above, and read as before).
RAN_WITH_REFERRALS = Reason("retention.ran_with_referrals", N_(
    "Xoá dữ liệu hết thời hạn lưu trữ: %(unhonoured_attachments)s tệp đính kèm của hồ sơ không được tôn vinh, "
    "%(referral_attachments)s tệp đính kèm của phiếu tiến cử không vào hoặc đã rời nguồn nhân tài, "
    "%(login_throttles)s bản ghi đăng nhập sai, %(import_reports)s báo cáo lỗi nhập Excel, "
    "%(ended_sessions)s phiên đã đăng xuất."))
# A dossier that reached either state was honoured: its files are part of the decision's record.
HONOURED_STATES = (states.APPROVED, states.PUBLISHED)
CATEGORIES = ("unhonoured_attachments", "referral_attachments", "login_throttles", "import_reports",
              "ended_sessions")


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def unhonoured_attachments(now: datetime, dry_run: bool = False) -> int:
    """Files of dossiers never honoured whose round's council met more than N years ago: row and file deleted."""
    cutoff = years_before(now.date(), current_app.config["RETENTION_UNHONOURED_ATTACHMENT_YEARS"])
    query = (select(Attachment).join(Dossier, Attachment.dossier_id == Dossier.id)
             .join(Round, Dossier.round_id == Round.id)
             .where(Round.council_date < cutoff, Dossier.state.not_in(HONOURED_STATES)))
    attachments = list(db.session.scalars(query))
    if not dry_run:
        ids = [attachment.id for attachment in attachments]
        if ids:  # files replaced by one another: unlink first so the rows go in any order
            db.session.execute(Attachment.__table__.update().where(Attachment.superseded_by_id.in_(ids))
                               .values(superseded_by_id=None))
        for attachment in attachments:
            storage.remove_when_committed(attachment.stored_name)
            db.session.delete(attachment)
        db.session.flush()
    return len(attachments)


def referral_attachments(now: datetime, dry_run: bool = False) -> int:
    """Files of referrals that did not lead to a place in the talent pool, or whose place ended, N years after:
    declined at screening (from the screening), drafts never submitted (from their last change), accepted into a
    pool entry since retired (from the retirement). Submitted referrals awaiting screening and active pool entries
    keep theirs."""
    years = current_app.config["RETENTION_REFERRAL_ATTACHMENT_YEARS"]
    cutoff = datetime.combine(years_before(now.date(), years), now.time())
    query = (select(ReferralAttachment).join(Referral, ReferralAttachment.referral_id == Referral.id)
             .outerjoin(PoolEntry, Referral.pool_entry_id == PoolEntry.id)
             .where(or_(and_(Referral.state == DECLINED, Referral.screened_at < cutoff),
                        and_(Referral.state == DRAFT, Referral.updated_at < cutoff),
                        and_(PoolEntry.status == RETIRED, PoolEntry.retired_at < cutoff))))
    attachments = list(db.session.scalars(query))
    if not dry_run:
        for attachment in attachments:
            storage.remove_when_committed(attachment.stored_name)
            db.session.delete(attachment)
        db.session.flush()
    return len(attachments)


def _purge(model, column, before: datetime, dry_run: bool) -> int:
    count = db.session.scalar(select(func.count()).select_from(model).where(column < before))
    if not dry_run and count:
        db.session.execute(delete(model).where(column < before))
    return count


def login_throttles(now: datetime, dry_run: bool = False) -> int:
    """Throttling records (login failures per account, address or device) with no attempt for N days."""
    before = now - timedelta(days=current_app.config["RETENTION_LOGIN_FAILURE_DAYS"])
    return _purge(LoginThrottle, LoginThrottle.last_at, before, dry_run)


def ended_sessions(now: datetime, dry_run: bool = False) -> int:
    """Signed-out sessions past the time their cookie would have expired anyway (the row is useless then)."""
    return _purge(EndedSession, EndedSession.until, now, dry_run)


def import_reports(now: datetime, dry_run: bool = False) -> int:
    """Excel import error reports written more than N days ago (the app also prunes them after a day at the next
    import; this is the upper bound when no import follows)."""
    folder = os.path.join(current_app.config["UPLOAD_FOLDER"], reports.FOLDER)
    if not os.path.isdir(folder):
        return 0
    cutoff = time.time() - current_app.config["RETENTION_IMPORT_REPORT_DAYS"] * 86400  # file times are real
    count = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                if entry.is_file() and entry.stat().st_mtime < cutoff:
                    count += 1
                    if not dry_run:
                        os.remove(entry.path)
            except FileNotFoundError:  # pruned by an import meanwhile
                pass
    return count


def run(dry_run: bool = False) -> dict[str, int]:
    """Apply every category (inside the caller's unit of work); one audit entry (no actor: the system)."""
    now = clock.now()
    counts = {
        "unhonoured_attachments": unhonoured_attachments(now, dry_run),
        "referral_attachments": referral_attachments(now, dry_run),
        "login_throttles": login_throttles(now, dry_run),
        "import_reports": import_reports(now, dry_run),
        "ended_sessions": ended_sessions(now, dry_run),
    }
    if not dry_run:
        audit.record(None, ENTITY, 0, ACTION, reason=RAN_WITH_REFERRALS(**counts))
    return counts
