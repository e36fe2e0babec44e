"""The one source of "now": local provincial time, naive, so deadlines compare simply.

Tests and seeding code pin time with `frozen(...)`; column defaults call now() too, so they follow.
"""
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

PROVINCE_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_pinned: datetime | None = None


def now() -> datetime:
    if _pinned is not None:
        return _pinned
    return datetime.now(PROVINCE_TZ).replace(tzinfo=None, microsecond=0)


@contextmanager
def frozen(at: datetime):
    global _pinned
    previous, _pinned = _pinned, at
    try:
        yield
    finally:
        _pinned = previous
