from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from honours.core import clock
from honours.core.db import db

from .workflow import DONE, JOB, QUEUED


class Job(db.Model):
    """Long work done by the worker (`flask jobs work`) instead of a web request: who asked for what, how far it
    got, the file it produced or why it failed. The table is the queue (honours/core/jobs/worker.py)."""

    __tablename__ = "job"
    __table_args__ = (Index("ix_job_due", "state", "id"), Index("ix_job_user", "user_id", "id"),
                      JOB.check_constraint())

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(40))  # a handler registered with @jobs.handler(kind)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(12), default=QUEUED)
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int | None]  # None until the handler knows how much there is
    # The file produced, under UPLOAD_FOLDER/jobs/ (a generated name), and how it downloads.
    result_stored_name: Mapped[str | None] = mapped_column(String(80))
    result_name: Mapped[str] = mapped_column(String(255), default="")
    result_type: Mapped[str] = mapped_column(String(100), default="")
    summary: Mapped[str] = mapped_column(Text, default="")  # what the job did, in Vietnamese (e.g. rows imported)
    error: Mapped[str] = mapped_column(Text, default="")  # why it failed, in Vietnamese, for the user
    attempts: Mapped[int] = mapped_column(default=0)
    # Set by the worker that runs the job: only the holder of the token records progress and the outcome; a
    # heartbeat older than JOBS_STALE_SECONDS belongs to a worker that died.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    heartbeat_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    user = relationship("User")

    @property
    def state_label(self) -> str:
        return JOB.label(self.state)

    @property
    def percent(self) -> int:
        if self.state == DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def has_result(self) -> bool:
        return self.state == DONE and bool(self.result_stored_name)

    @property
    def result_expired(self) -> bool:
        """Done with a file once, deleted since (JOBS_RESULT_DAYS)."""
        return self.state == DONE and bool(self.result_name) and not self.result_stored_name
