"""A job's workflow. The worker moves it in compare-and-set UPDATEs (several workers at once, as the outbox does);
a person may only cancel their own job (or the secretariat anyone's) while it has not finished."""
from flask_babel import lazy_gettext as _l

from honours.core import roles
from honours.core.workflow import SYSTEM, Transition, Workflow

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
CANCELLED = "cancelled"
FINISHED = (DONE, FAILED, CANCELLED)

JOB = Workflow("job", {
    QUEUED: _l("Đang chờ"),
    RUNNING: _l("Đang thực hiện"),
    DONE: _l("Đã xong"),
    FAILED: _l("Không thành công"),
    CANCELLED: _l("Đã huỷ"),
}, (
    # A queued job, or a running one whose worker stopped sending heartbeats (it died): run from the start again.
    Transition("claim", (QUEUED, RUNNING), RUNNING, (SYSTEM,)),
    Transition("finish", (RUNNING,), DONE, (SYSTEM,)),
    # The worker is stopping (SIGTERM): back to the queue, for the next worker to run from the start.
    Transition("release", (RUNNING,), QUEUED, (SYSTEM,)),
    # The handler refused or broke, or the job was interrupted more often than JOBS_MAX_ATTEMPTS allows.
    Transition("fail", (QUEUED, RUNNING), FAILED, (SYSTEM,)),
    Transition("cancel", (QUEUED, RUNNING), CANCELLED, roles.ALL_ROLES),
), audited=False)
