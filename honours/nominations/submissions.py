"""A dossier's submissions as the organisation sent them: a snapshot read back, what changed between two, and the
receipt number printed on the dossier (the organisation writes it on its paper letter).

Snapshots are what services.snapshot() froze at each (re)submission; nothing here writes.
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from honours.core import roles
from honours.core.profile import PROFILE_FIELDS, PROFILE_LABELS
from honours.core.reference import ACADEMIC_TITLES, ACHIEVEMENT_KINDS, ATTACHMENT_KINDS, DEGREES, GENDERS

from .access import can_view_dossier
from .models import Dossier, DossierSubmission

# The order of the facts on a snapshot and in a comparison: the nominee, then the round field and the merits.
FIELD_ORDER = (*PROFILE_FIELDS, "field", "merits_summary")
FIELD_LABELS = {**PROFILE_LABELS, "field": _l("Lĩnh vực"), "merits_summary": _l("Tóm tắt thành tích, đóng góp")}
CODED_VALUES = {"gender": GENDERS, "academic_title": ACADEMIC_TITLES, "degree": DEGREES}


def can_view_submissions(user, dossier: Dossier) -> bool:
    """Whoever may see the dossier, except a council member: a reviewer's dossier page shows the nominee's work,
    not the private data (birth date, gender, ethnicity, contacts) every snapshot holds, nor its history."""
    return user.role != roles.COUNCIL and can_view_dossier(user, dossier)


def submission_numbered(dossier: Dossier, number: int) -> DossierSubmission | None:
    return next((s for s in dossier.submissions if s.number == number), None)


def receipt_number(dossier: Dossier, number: int) -> str:
    """HS-<round year>-<round id>-<dossier id, 5 digits>-L<submission>, e.g. HS-2026-3-00042-L2: unique per
    submission, readable over the phone, and it says which round and which sending it is."""
    return f"HS-{dossier.round.year}-{dossier.round_id}-{dossier.id:05d}-L{number}"


def shown_value(name: str, value) -> str:
    """A snapshot's value as the page shows it (labels for codes, dd/mm/yyyy dates, Có/Không)."""
    if name in CODED_VALUES:
        return str(CODED_VALUES[name].get(value, value)) if value else "—"
    if name == "is_overseas":
        return _("Có") if value else _("Không")
    if name == "date_of_birth" and value:
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    return str(value) if value not in (None, "") else "—"


def facts(snapshot: dict) -> list[tuple[str, str, str]]:
    """(name, label, shown value) of every field of a snapshot, in page order."""
    return [(name, str(FIELD_LABELS[name]), shown_value(name, snapshot.get(name))) for name in FIELD_ORDER
            if name in snapshot]


def achievement_label(kind: str) -> str:
    return str(ACHIEVEMENT_KINDS.get(kind, kind))


def attachment_label(kind: str) -> str:
    return str(ATTACHMENT_KINDS.get(kind, kind))


@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str


@dataclass
class SubmissionChanges:
    """What a later submission changed: fields (shown values), achievements and files added or removed."""

    fields: list[FieldChange] = field(default_factory=list)
    achievements_added: list[dict] = field(default_factory=list)
    achievements_removed: list[dict] = field(default_factory=list)
    attachments_added: list[dict] = field(default_factory=list)
    attachments_removed: list[dict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.fields or self.achievements_added or self.achievements_removed
                    or self.attachments_added or self.attachments_removed)


def _achievement_key(achievement: dict) -> tuple:
    return (achievement.get("kind"), achievement.get("year"), (achievement.get("title") or "").strip(),
            (achievement.get("details") or "").strip())


def changes_between(before: dict, after: dict) -> SubmissionChanges:
    """Field by field, then achievements as whole entries (an edited one shows as removed and added: the reader
    sees both versions) and files by identity (a file kept across submissions is the same stored file)."""
    changes = SubmissionChanges()
    for name in FIELD_ORDER:
        old, new = shown_value(name, before.get(name)), shown_value(name, after.get(name))
        if old != new:
            changes.fields.append(FieldChange(name, str(FIELD_LABELS[name]), old, new))
    old_achievements = Counter(_achievement_key(a) for a in before.get("achievements", []))
    new_achievements = Counter(_achievement_key(a) for a in after.get("achievements", []))
    added, removed = new_achievements - old_achievements, old_achievements - new_achievements
    for achievement in after.get("achievements", []):
        if added[_achievement_key(achievement)] > 0:
            added[_achievement_key(achievement)] -= 1
            changes.achievements_added.append(achievement)
    for achievement in before.get("achievements", []):
        if removed[_achievement_key(achievement)] > 0:
            removed[_achievement_key(achievement)] -= 1
            changes.achievements_removed.append(achievement)
    old_files = {a["id"] for a in before.get("attachments", [])}
    new_files = {a["id"] for a in after.get("attachments", [])}
    changes.attachments_added = [a for a in after.get("attachments", []) if a["id"] not in old_files]
    changes.attachments_removed = [a for a in before.get("attachments", []) if a["id"] not in new_files]
    return changes
