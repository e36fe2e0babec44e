"""What a URL may carry: ids that fit the database's integer columns, and query-string values that are safe to pass
back to url_for when a page builds links to itself (pagination, exports)."""
from flask import Flask, request
from werkzeug.routing import IntegerConverter

# Primary keys are INTEGER columns: 32-bit signed on PostgreSQL (SQLite's are 64-bit). A larger number in a URL
# names nothing, but handed to the driver it overflows (a 500 from deep inside): refuse it with a 404 instead.
MAX_ID = 2**31 - 1
# url_for's own keyword arguments: a query string must not choose the endpoint, method, scheme, host or anchor of
# the links a page builds from it (nor collide with them: a TypeError, a 500).
RESERVED = frozenset({"endpoint"})  # and every name starting with "_" (_external, _method, _scheme, _anchor)


class DatabaseId(IntegerConverter):
    """`<int:…>` everywhere: a non-negative integer that fits the id columns; anything larger does not match (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002  (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=signed)


def register_converters(app: Flask) -> None:
    """Before any blueprint adds its rules: the converter is chosen when a rule is added."""
    app.url_map.converters["int"] = DatabaseId


def query_id(name: str) -> int | None:
    """An id from the query string (?round_id=…): None when absent, not a number or outside the id columns."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value <= MAX_ID else None


def link_args(*, drop: tuple[str, ...] = (), **overrides) -> dict:
    """The request's query arguments for a link back to the same list (first value of each), without the names
    url_for reserves for itself, with `overrides` applied."""
    args = {name: value for name, value in request.args.items()
            if name not in RESERVED and not name.startswith("_") and name not in drop}
    args.update(overrides)
    return args
