"""Expertise keywords: free text split on commas, semicolons and line breaks, compared without diacritics."""
import re

from honours.core.text import fold

SEPARATORS = re.compile(r"[,;\n\r]+")


def split_keywords(text: str | None) -> list[str]:
    """The keywords as typed (trimmed), in order, without repeats (repeats compared folded)."""
    seen, keywords = set(), []
    for part in SEPARATORS.split(text or ""):
        keyword = " ".join(part.split())
        if keyword and fold(keyword) not in seen:
            seen.add(fold(keyword))
            keywords.append(keyword)
    return keywords


def merge_keywords(existing: str, added: str) -> str:
    """Keep the existing keywords and their order, append the new ones."""
    return ", ".join(split_keywords(f"{existing or ''}, {added or ''}"))


def matched_keywords(wanted: list[str], offered_text: str) -> list[str]:
    """The wanted keywords that the offered keywords contain: an equal keyword, or the wanted words appearing
    whole inside the offered text ("vật liệu" matches "vật liệu nano", but "ai" does not match "mai")."""
    offered = {fold(k) for k in split_keywords(offered_text)}
    offered_folded = " ; ".join(sorted(offered))
    found = []
    for keyword in wanted:
        folded = fold(keyword)
        if folded in offered or re.search(rf"(?<!\w){re.escape(folded)}(?!\w)", offered_folded):
            found.append(keyword)
    return found
