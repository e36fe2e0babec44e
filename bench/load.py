"""A small closed-loop HTTP load generator (asyncio, keep-alive, cookies): N simulated users, each sending its
next request as soon as the previous answer arrived, for a fixed duration. Standard library only, so it adds
nothing to the project's dependencies and costs little CPU next to the server it measures."""
import asyncio
import html
import random
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

TIMEOUT = 60.0


class HttpError(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    set_cookies: list[str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Session:
    """One simulated user: a keep-alive connection and a cookie jar."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.reader = self.writer = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except (ConnectionError, OSError):
                pass
        self.reader = self.writer = None

    async def request(self, method: str, path: str, form: dict | None = None) -> Response:
        body = urlencode(form).encode() if form is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Accept-Language: vi",
                 "User-Agent: honours-bench"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        fresh = self.writer is None
        try:
            return await asyncio.wait_for(self._exchange(raw), TIMEOUT)
        except (ConnectionError, asyncio.IncompleteReadError) as error:
            await self.close()
            if fresh or method != "GET":  # a reused connection the server had closed: retry a GET once
                raise HttpError(f"connection failed: {error!r}") from error
            return await asyncio.wait_for(self._exchange(raw), TIMEOUT)
        except (asyncio.TimeoutError, OSError) as error:
            await self.close()
            raise HttpError(f"{type(error).__name__}: {error}") from error

    async def _exchange(self, raw: bytes) -> Response:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(raw)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers, set_cookies = {}, []
        for line in header_lines:
            if not line:
                continue
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                set_cookies.append(value)
            headers[name] = value
        if headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            body = b"".join(chunks)
        elif "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif status in (204, 304) or 100 <= status < 200:
            body = b""
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            await self.close()
        for cookie in set_cookies:
            pair = cookie.split(";", 1)[0]
            name, _, value = pair.partition("=")
            expired = not value or "max-age=0" in cookie.lower() or "expires=thu, 01 jan 1970" in cookie.lower()
            if expired:
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value.strip()
        return Response(status, headers, set_cookies, body)


async def fetch(host: str, port: int, path: str) -> Response:
    """One request on a connection of its own."""
    session = Session(host, port)
    try:
        return await session.request("GET", path)
    finally:
        await session.close()


def input_value(page: str, name: str) -> str | None:
    """The value of the <input name=...> of a page (attributes in any order)."""
    for tag in re.findall(r"<input\b[^>]*>", page):
        if re.search(rf'\bname="{re.escape(name)}"', tag):
            found = re.search(r'\bvalue="([^"]*)"', tag)
            return html.unescape(found.group(1)) if found else ""
    return None


async def login(session: Session, email: str, password: str) -> None:
    page = await session.request("GET", "/login")
    token = input_value(page.text, "csrf_token")
    response = await session.request("POST", "/login", {"csrf_token": token or "", "email": email,
                                                        "password": password})
    if response.status != 302:
        raise HttpError(f"login of {email} failed: HTTP {response.status}")


# ---------------------------------------------------------------- measurements

@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)  # seconds, successful and failed alike
    errors: int = 0
    queries: list[int] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 3:
            self.error_samples.append(what)

    def percentile(self, p: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]

    @property
    def mean_queries(self) -> float | None:
        return sum(self.queries) / len(self.queries) if self.queries else None


class Recorder:
    """Counts a request when it completes inside the measuring window (after the warm-up)."""

    def __init__(self, start: float, end: float):
        self.start, self.end = start, end
        self.stats = Stats()

    async def timed(self, session: Session, method: str, path: str, form: dict | None = None,
                    expect: tuple[int, ...] = (200,)) -> Response | None:
        began = time.perf_counter()
        try:
            response = await session.request(method, path, form)
        except HttpError as error:
            if self.start <= time.perf_counter() <= self.end:
                self.stats.error(f"{method} {path}: {error}")
            await asyncio.sleep(0.05)
            return None
        finished = time.perf_counter()
        if self.start <= finished <= self.end:
            self.stats.latencies.append(finished - began)
            if response.status not in expect:
                self.stats.error(f"{method} {path}: HTTP {response.status}")
            if "x-query-count" in response.headers:
                self.stats.queries.append(int(response.headers["x-query-count"]))
        return response


async def drive(host: str, port: int, scenario, manifest: dict, users: int, duration: float, warmup: float,
                seed: int = 1, think: float = 0.0) -> Stats:
    """Log the users in and take one step each (not measured), then run the scenario's step in a loop per user
    until the warm-up and the measured duration have passed. With `think` > 0 each user pauses between
    0.5 and 1.5 times that many seconds after each step, as a person reading the page does; with 0 the users
    fire back to back (a throughput test)."""
    sessions = [Session(host, port) for _ in range(users)]
    try:
        await asyncio.gather(*(scenario.setup(s, i, manifest) for i, s in enumerate(sessions)))
        # One unmeasured round first, whatever it takes: every worker has then built what it keeps between
        # requests (compiled templates, the ranking of the results page); the warm-up period follows.
        unmeasured = Recorder(float("inf"), float("inf"))
        await asyncio.gather(*(scenario.step(unmeasured, s, i, manifest, random.Random(i))
                               for i, s in enumerate(sessions)))
        now = time.perf_counter()
        recorder = Recorder(now + warmup, now + warmup + duration)

        async def user(index: int, session: Session):
            rng = random.Random(seed * 1000 + index)
            while time.perf_counter() < recorder.end:
                await scenario.step(recorder, session, index, manifest, rng)
                if think:
                    await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))

        await asyncio.gather(*(user(i, s) for i, s in enumerate(sessions)))
        return recorder.stats
    finally:
        await asyncio.gather(*(s.close() for s in sessions))


async def probe(host: str, port: int, scenario, manifest: dict, requests: int = 3) -> Stats:
    """One user, a few requests, every one recorded: the SQL statements per request on a given dataset."""
    session = Session(host, port)
    try:
        await scenario.setup(session, 0, manifest)
        recorder = Recorder(0.0, float("inf"))
        rng = random.Random(7)
        # A first request warms the worker up (compiled templates, caches): not recorded.
        warm = Recorder(float("inf"), float("inf"))
        await scenario.step(warm, session, 0, manifest, rng)
        while len(recorder.stats.latencies) + recorder.stats.errors < requests:
            await scenario.step(recorder, session, 0, manifest, rng)
        return recorder.stats
    finally:
        await session.close()
