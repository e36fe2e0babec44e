"""Optimistic locking: a form carries the version it was rendered with; a concurrent change is refused, never
overwritten."""
from functools import wraps

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from honours.core.db import db
from honours.core.errors import StaleEdit


def refuse_stale(service):
    """A concurrent change can surface at any flush (autoflush too), not only at commit: roll back and say so."""

    @wraps(service)
    def guarded(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except StaleDataError:
            db.session.rollback()
            raise StaleEdit(stale_message()) from None

    return guarded


def check_version(record, expected_version: int | None) -> None:
    """Optimistic locking for a form: refuse it when the record changed since the form was rendered."""
    if expected_version is not None and expected_version != record.version:
        raise StaleEdit(stale_message())


def stale_message() -> str:
    return _("Dữ liệu vừa được người khác thay đổi. Vui lòng tải lại trang để xem bản mới nhất rồi thao tác lại.")
