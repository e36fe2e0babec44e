"""What an import hands back to its page: either problems (and nothing was created) or what was created."""
from dataclasses import dataclass, field

from flask_babel import gettext as _

from .workbook import Problem


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things the user should know either way (ignored sheets)
    created: dict[str, int] = field(default_factory=dict)  # what -> how many

    @property
    def ok(self) -> bool:
        return not self.problems

    def sorted_problems(self) -> list[Problem]:
        """File-level problems first, then by sheet and row (each row's problems keep their column order)."""
        return sorted(self.problems, key=lambda p: (p.row is not None, p.sheet, p.row or 0))


def ignored_sheets_note(names: list[str]) -> list[str]:
    if not names:
        return []
    return [_("Các trang tính sau không được đọc và đã bỏ qua: %(sheets)s.", sheets=", ".join(names))]
