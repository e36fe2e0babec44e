"""Guard rails for irreversible or wide-reaching steps.

A service that changes much at once (opening a council session, publishing, an eligibility decision, locking an
account, deleting a draft) takes `confirmed=` and, where the round's timeline can say "too early",
`override_reason=`. Until the person has seen the consequence it raises `ConfirmationNeeded`; the view answers
with a confirmation page (core/web.py `confirmation_page`) that states the consequence and posts the same form
again with `confirmed=1`. The rule therefore holds in the service, whichever page or script calls it.
"""
from collections.abc import Sequence

from flask_babel import gettext as _

from honours.core.errors import RuleViolation

MAX_REASON = 1000


class ConfirmationNeeded(RuleViolation):
    """The step needs the person's confirmation (and, when `warnings` say it is too early, a reason)."""

    def __init__(self, consequence: str, warnings: Sequence[str] = (), needs_reason: bool = False,
                 reason_error: str = ""):
        super().__init__(consequence)
        self.consequence = consequence
        self.warnings = list(warnings)
        self.needs_reason = needs_reason
        self.reason_error = reason_error


def ensure_confirmed(confirmed: bool, consequence: str, *, warnings: Sequence[str] = (),
                     override_reason: str | None = None) -> str:
    """Raise ConfirmationNeeded unless the step is confirmed; when `warnings` is not empty (the timeline says too
    early), a reason is also required and returned, for the audit log. Returns "" when no override was needed."""
    reason = (override_reason or "").strip()
    if warnings:
        if not reason:
            raise ConfirmationNeeded(consequence, warnings, needs_reason=True,
                                     reason_error=_("Vui lòng nêu lý do thực hiện trước thời hạn.")
                                     if confirmed else "")
        if len(reason) > MAX_REASON:
            raise ConfirmationNeeded(consequence, warnings, needs_reason=True,
                                     reason_error=_("Tối đa %(max)d ký tự.", max=MAX_REASON))
    if not confirmed:
        raise ConfirmationNeeded(consequence, warnings, needs_reason=bool(warnings))
    return reason if warnings else ""
