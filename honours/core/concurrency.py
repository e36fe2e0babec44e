"""Optimistic locking: a form carries the version it was rendered with; a concurrent change is refused, never
overwritten (honours.core.transactions turns a stale flush into the same StaleEdit)."""
from flask_babel import gettext as _

from honours.core.errors import StaleEdit


def check_version(record, expected_version: int | None) -> None:
    """Optimistic locking for a form: refuse it when the record changed since the form was rendered."""
    if expected_version is not None and expected_version != record.version:
        raise StaleEdit(stale_message())


def stale_message() -> str:
    return _("Dữ liệu vừa được người khác thay đổi. Vui lòng tải lại trang để xem bản mới nhất rồi thao tác lại.")

