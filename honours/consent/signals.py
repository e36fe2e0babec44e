"""What consent tells the stages that honour it (they import consent, never the reverse)."""
from blinker import Namespace

signals = Namespace()
# Receivers: (consent_request, purposes=(codes...)) -> None, once a withdrawal is recorded (same transaction):
# publication refreshes its cached public pages.
consent_withdrawn = signals.signal("consent-withdrawn")
