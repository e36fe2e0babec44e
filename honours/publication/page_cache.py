"""The public honoured list as last sent to a visitor without cookies, kept a few seconds per worker process.

/vinh-danh and /vinh-danh/<year> are the most visited pages and change a few times a year. A request without
cookies is an anonymous visitor in the default language: the page carries nothing personal (no name, no CSRF
token, no flashed message). So the response the app last sent for the same path — status, every header,
body — is sent again for PUBLIC_PAGE_CACHE_SECONDS, straight from this WSGI middleware, without running the
app or querying the database. Requests with cookies, a query string or conditional headers (If-None-Match,
If-Modified-Since: those get a 304 from the app) always go to the app.

A copy is kept per host, scheme, script root, path and (normalised) query string: the page's links depend on
all of them, so a request with a hostile Host or SCRIPT_NAME can only ever fill its own entry, never the one
other visitors get (and SCRIPT_NAME is the operator's setting anyway, see core/http.py FixedScriptRoot).

Any commit in the process empties the cache at once (a round published, a citation edited); other worker
processes follow within those few seconds, well inside the 300 s browsers and proxies may keep the page anyway
(Cache-Control: public, max-age=300). Only responses the view marked as shareable are kept, and only a 200
that sets no cookie.
"""
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from flask import Flask, current_app, has_app_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from honours.core import querycount

EXTENSION = "honours_public_page_cache"
SHAREABLE = "honours.shareable_page"  # set in the WSGI environ by the views of the public lists
MAX_ENTRIES = 64
PERSONAL = ("HTTP_COOKIE", "HTTP_AUTHORIZATION", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")


@dataclass(frozen=True)
class Entry:
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    expires: float


class PageCache:
    def __init__(self, seconds: int):
        self.seconds = seconds
        self.entries: dict[tuple[str, ...], Entry] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> Entry | None:
        entry = self.entries.get(key)
        return entry if entry is not None and entry.expires > time.monotonic() else None

    def put(self, key: tuple[str, ...], entry: Entry) -> None:
        with self.lock:
            if len(self.entries) >= MAX_ENTRIES:
                self.entries = {}
            self.entries[key] = entry

    def clear(self) -> None:
        self.entries = {}


class SharedPages:
    """WSGI middleware: answers from the cache when it can, fills it from the app's shareable answers."""

    def __init__(self, wsgi_app, cache: PageCache, count_queries: bool):
        self.wsgi_app, self.cache = wsgi_app, cache
        # The benchmark's X-Query-Count: the copy ran no statement.
        self.extra = (("X-Query-Count", "0"),) if count_queries else ()

    def __call__(self, environ, start_response):
        if self.cache.seconds <= 0 or environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING") \
                or any(environ.get(name) for name in PERSONAL):
            return self.wsgi_app(environ, start_response)
        key = cache_key(environ)
        entry = self.cache.get(key)
        if entry is not None:
            start_response(entry.status, [*entry.headers, *self.extra])
            return [entry.body]
        sent = {}

        def capture(status, headers, exc_info=None):
            sent["status"], sent["headers"] = status, headers
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        answer = self.wsgi_app(environ, capture)
        if not environ.get(SHAREABLE) or not sent.get("status", "").startswith("200 ") \
                or any(name.lower() == "set-cookie" for name, _value in sent["headers"]):
            return answer
        try:
            body = b"".join(answer)
        finally:
            if hasattr(answer, "close"):
                answer.close()
        headers = tuple((name, value) for name, value in sent["headers"] if name.lower() != "x-query-count")
        self.cache.put(key, Entry(sent["status"], headers, body, time.monotonic() + self.cache.seconds))
        return [body]


def cache_key(environ) -> tuple[str, ...]:
    """Everything a page's links and content may be built from, besides the cookies (no copy with cookies)."""
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    query = urlencode(sorted(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)))
    return (environ.get("wsgi.url_scheme", ""), host.lower(), environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""), query)


def install(app: Flask) -> None:
    if EXTENSION not in app.extensions:
        cache = app.extensions[EXTENSION] = PageCache(app.config["PUBLIC_PAGE_CACHE_SECONDS"])
        app.wsgi_app = SharedPages(app.wsgi_app, cache, querycount.enabled())


def mark_shareable() -> None:
    """The current response may be kept for visitors without cookies (the middleware checks the rest)."""
    request.environ[SHAREABLE] = True


def forget() -> None:
    """Render the public pages afresh (this process; the others follow within PUBLIC_PAGE_CACHE_SECONDS)."""
    if has_app_context():
        cache = current_app.extensions.get(EXTENSION)
        if cache is not None:
            cache.clear()


@event.listens_for(Session, "after_commit")
def _forget(session) -> None:
    """Whatever was committed may be on the public pages: render them afresh."""
    forget()
