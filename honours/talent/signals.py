"""Extension points of the referral workflow for the stages that come later (they import talent, never the
reverse)."""
from blinker import Namespace

signals = Namespace()
# Receivers: (referral, actor=...) -> None, after the submission was recorded (consent: the person is asked).
referral_submitted = signals.signal("referral-submitted")
# Receivers: (referral, user=...) -> Markup | None, a section of the referral page (consent: its state and steps).
referral_page_sections = signals.signal("referral-page-sections")
