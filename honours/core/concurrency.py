"""Optimistic locking: a form carries the version it was rendered with; a concurrent change is refused, never
overwritten (honours.core.transactions turns a stale flush into the same StaleEdit)."""
from flask_babel import gettext as _

from honours.core.errors import StaleEdit

# What a form posted without a usable version expects (the hidden field deleted, emptied or garbled): no record
# ever has it, so check_version refuses the form as stale. A missing version must not mean "skip the check".
NO_VERSION = -1


def check_version(record, expected_version: int | None) -> None:
    """Optimistic locking for a form: refuse it when the record changed since the form was rendered.
    Forms always pass an int (honours.core.forms.form_version: NO_VERSION when none came back); None is for
    callers that are not a form (a service calling another, an import, the demo) and checks nothing."""
    if expected_version is not None and expected_version != record.version:
        raise StaleEdit(stale_message())


def stale_message() -> str:
    return _("Dữ liệu vừa được người khác thay đổi. Vui lòng tải lại trang để xem bản mới nhất rồi thao tác lại.")

