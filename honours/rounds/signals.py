"""Extension points of the round page for the stages that come later (they import rounds, never the reverse)."""
from blinker import Namespace

signals = Namespace()
# Receivers: (round_) -> Markup, a section of the secretariat's round page (e.g. nominations' counts per state).
round_page_sections = signals.signal("round-page-sections")
