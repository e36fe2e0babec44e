"""SQL statements per request, for the load benchmark (bench/): with HONOURS_COUNT_QUERIES=1 every response
carries an `X-Query-Count` header. Off by default: create_app() hooks it in only when the variable is set."""
import os

from flask import Flask, g, has_app_context
from sqlalchemy import event

ENV_VAR = "HONOURS_COUNT_QUERIES"
HEADER = "X-Query-Count"


def enabled() -> bool:
    return os.environ.get(ENV_VAR, "") not in ("", "0")


def init_query_count(app: Flask, db) -> None:
    def count(conn, cursor, statement, parameters, context, executemany):
        if has_app_context():
            g._query_count = g.get("_query_count", 0) + 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)

    @app.before_request
    def reset():
        g._query_count = 0  # the user loader and the view count; nothing from an earlier request

    # Registered before the other after_request hooks, so it runs after them (Flask runs them in reverse).
    @app.after_request
    def header(response):
        response.headers[HEADER] = str(g.get("_query_count", 0))
        return response
