"""Extension points of the dossier workflow for the stages that come later (they import nominations, never the
reverse)."""
from blinker import Namespace

signals = Namespace()
# Receivers: (dossier, actor=...) -> None; raise RuleViolation when the dossier may not go back to the
# eligibility check (reviews: once a reviewer has submitted a sheet). No side effects: buttons ask too.
check_reopening = signals.signal("dossier-check-reopening")
# Receivers: (dossier, actor=..., reason=...) -> None, once the dossier is back in the check (reviews: its
# assignments and unsubmitted draft sheets are removed, audited).
check_reopened = signals.signal("dossier-check-reopened")
# Receivers: (dossier, actor=...) -> None, after a (re)submission was recorded (consent: the nominee is asked,
# once). Same transaction.
dossier_submitted = signals.signal("dossier-submitted")
# Receivers: (dossier, actor=...) -> None; raise RuleViolation when the dossier may not be marked eligible
# (consent: the nominee has not consented to the round's processing). No side effects: buttons ask too.
check_marking_eligible = signals.signal("dossier-check-marking-eligible")
# Receivers: (dossier, actor=..., action=...) -> None; raise RuleViolation when the eligibility decision may not be
# recorded (selection: an eligibility rule failed and the secretariat has not overridden it with a reason).
deciding = signals.signal("dossier-deciding")
# Receivers: (dossier, user=...) -> Markup or None, a section of the dossier page (selection: the eligibility
# rules' results, the standards claimed and appraised, the clarification exchange; consent: its state and steps).
dossier_page_sections = signals.signal("dossier-page-sections")
