"""Pages of a list: the page asked for, and the one page object templates/macros/forms.html's pagination macro
reads (Flask-SQLAlchemy's Pagination for a query; `Page` for a list built another way)."""
import math
from dataclasses import dataclass, field

from flask import abort, current_app, request

from honours.core.db import db

# No list has this many pages; a larger number would overflow the database's OFFSET (a 500): refused with a 400.
MAX_PAGE = 1_000_000


def page_number() -> int:
    """?page=: 1 when absent or not a number, 400 when absurdly large."""
    page = request.args.get("page", 1, type=int)
    if page > MAX_PAGE:
        abort(400)
    return max(1, page)


def per_page() -> int:
    return current_app.config["PER_PAGE"]


def paginate(statement, size: int | None = None):
    """The requested page of a select() (an out-of-range page is empty, never a 404)."""
    return db.paginate(statement, page=page_number(), per_page=size or per_page(), error_out=False)


@dataclass
class Page:
    """A page of a list that is not one query (grouped duplicates, a ranking): the macro's part of Pagination."""

    page: int
    per_page: int
    total: int
    items: list = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
