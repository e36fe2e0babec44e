"""The main menu's "you are here": which of its items the current page belongs to (aria-current="page").

base.html lists each role's items with the endpoints they stand for; this is the one rule that picks the
current one, so a page deep inside a section (a dossier opened from the inbox, a need's edit form) still marks
its section. An item's `sections` are blueprint names ("people") or endpoints ("talent.needs"); the most
specific match wins, so "talent.needs" beats "talent" for the needs pages.
"""
from flask import request


def _specificity(endpoint: str, section: str) -> int:
    if endpoint == section:
        return 2
    if endpoint.startswith(section + "."):
        return 1
    return 0


def current_nav_item(items) -> str | None:
    """The endpoint of the item (endpoint, label, sections) the request belongs to, or None (no item)."""
    endpoint = request.endpoint or ""
    best, best_score = None, 0
    for item_endpoint, _label, sections in items:
        score = max((_specificity(endpoint, section) for section in sections), default=0)
        if score > best_score:
            best, best_score = item_endpoint, score
    return best
