"""Units of work. A service is an `operation`: it flushes, never commits, so operations compose (one calling
another shares its transaction) and a refused step leaves nothing half-done.

Who commits is the unit of work around the outermost operation: during a request, the request itself (one commit
in honours.core.http, only for an answer below 400); in a CLI command, `unit_of_work()` around the command; in a
script or a test that calls a service directly, the outermost operation, as a request would have.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from flask import has_request_context
from sqlalchemy.orm.exc import StaleDataError

from honours.core.concurrency import stale_message
from honours.core.db import commit_if_written, db
from honours.core.errors import StaleEdit

_depth: ContextVar[int] = ContextVar("honours_unit_of_work_depth", default=0)


def operation(service):
    """Mark a state-changing service. A concurrent change can surface at any flush (autoflush too), not only at
    commit: roll back and say so, as StaleEdit."""

    @wraps(service)
    def run(*args, **kwargs):
        token = _depth.set(_depth.get() + 1)
        try:
            result = service(*args, **kwargs)
            db.session.flush()
        except StaleDataError:
            db.session.rollback()
            raise StaleEdit(stale_message()) from None
        finally:
            _depth.reset(token)
        if _depth.get() == 0 and not has_request_context():
            _commit()
        return result

    return run


@contextmanager
def unit_of_work():
    """One transaction around a CLI command (or any script): the operations inside only flush; it commits at the
    end, or rolls back on an exception."""
    token = _depth.set(_depth.get() + 1)
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    finally:
        _depth.reset(token)
    if _depth.get() == 0:
        _commit()


@contextmanager
def commit_deferred():
    """Operations inside only flush and nothing commits on leaving: the caller commits (or rolls back) itself.
    The jobs worker runs a handler so, then commits its work together with the job's outcome."""
    token = _depth.set(_depth.get() + 1)
    try:
        yield
    finally:
        _depth.reset(token)


def _commit() -> None:
    try:
        commit_if_written(db.session)
    except StaleDataError:
        db.session.rollback()
        raise StaleEdit(stale_message()) from None
