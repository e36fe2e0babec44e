"""Extension points of the council stage for the stages that come later (they import council, never the
reverse)."""
from blinker import Namespace

signals = Namespace()
# Receivers: (round_, actor=...) -> None; raise RuleViolation when the provincial decision may not be recorded
# yet (notice: the public-notice period runs, or an opinion on the proposed list is not concluded).
decision_recording = signals.signal("council-decision-recording")
