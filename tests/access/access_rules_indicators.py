"""Access rules of the indicators dashboard and the annual report: the secretariat only."""

SECRETARIAT = {"secretariat"}

RULES = {
    "indicators.dashboard": SECRETARIAT,
    "indicators.report_xlsx": SECRETARIAT,
    "indicators.report_pdf": SECRETARIAT,
}


def params(world) -> dict:
    """The world's round (2026, one submitted dossier) makes 2026 a year with a report."""
    return {"report_year": world["round"].year}
