"""Login throttling that holds across every app process: progressive delays per account, per client address and
per known device, never a hard lock.

Each key (an account, an address, a browser that signed in before) counts attempts. The first
LOGIN_MAX_FAILURES attempts of an account (LOGIN_MAX_FAILURES_PER_IP of an address) go through at once; each
further one must wait LOGIN_DELAY_SECONDS, doubled per attempt up to LOGIN_MAX_DELAY_SECONDS. A run of attempts is
forgotten after LOGIN_FAILURE_WINDOW_MINUTES without any.

An attempt is counted *before* the password or code is checked, by compare-and-set on the key's version (one
conditional UPDATE or INSERT in the database, a WATCH/MULTI transaction in Redis), so thirty parallel guesses
are counted one by one and only the allowed ones are evaluated. A right password gives its attempt back (the
account's count is cleared once the login is complete), so the address of a busy office only counts failures.

A browser that signed in to an account before carries a signed "known device" cookie (sessions.py); its attempts
are counted on that device alone, so someone guessing from elsewhere delays neither the owner's next login nor
their colleagues behind the same address.

Two backends with the same rules: the database (LoginThrottle rows, the default) and Redis (one hash per key, used
when REDIS_URL is set). If Redis is configured but unreachable the database takes over for a while, with a
warning in the log: logins neither fail open nor crash.
"""
import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from honours.core import clock
from honours.core.db import db

from .models import LoginThrottle

log = logging.getLogger(__name__)
# After Redis fails, skip it for this long instead of waiting for its timeout on every login.
REDIS_RETRY_SECONDS = 30
# Compare-and-set rounds before an attempt is refused (thirty racing requests need at most thirty).
MAX_ROUNDS = 64


@dataclass(frozen=True)
class Key:
    name: str
    free: int  # attempts before the delays start

    @property
    def is_address(self) -> bool:
        return self.name.startswith("ip:")


@dataclass(frozen=True)
class State:
    attempts: int
    next_at: datetime  # no attempt before this
    last_at: datetime
    version: int  # 0: no record yet


class Throttled(Exception):
    def __init__(self, wait_seconds: int):
        super().__init__(wait_seconds)
        self.wait_seconds = wait_seconds


def _digest(value: str) -> str:
    # Hashed: the key names reveal no email addresses to whoever can read the table or list Redis keys.
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def keys_for(email: str, ip: str, device: str | None = None) -> list[Key]:
    """The keys one login attempt counts on: the known device alone, else the address and the account."""
    config = current_app.config
    if device:
        return [Key("device:" + _digest(device), config["LOGIN_MAX_FAILURES"])]
    return [Key("ip:" + (ip or "-"), config["LOGIN_MAX_FAILURES_PER_IP"]),
            Key("email:" + _digest(email), config["LOGIN_MAX_FAILURES"])]


def delay_after(attempts: int, free: int) -> timedelta:
    if attempts < free:
        return timedelta(0)
    config = current_app.config
    seconds = config["LOGIN_DELAY_SECONDS"] * 2 ** min(attempts - free, 20)
    return timedelta(seconds=min(seconds, config["LOGIN_MAX_DELAY_SECONDS"]))


def _current(state: State | None, now: datetime) -> int:
    """The attempts that still count (a run is forgotten after a quiet window)."""
    window = timedelta(minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"])
    if state is None or now - state.last_at >= window:
        return 0
    return state.attempts


def _wait(next_at: datetime, now: datetime) -> int:
    return max(1, int((next_at - now).total_seconds() + 0.999))


def _compare_and_set(store, key: Key, change) -> State | None:
    """Apply change(state, now) -> new State (or raise) until no other process changed the key in between."""
    for _round in range(MAX_ROUNDS):
        state = store.get(key.name)
        new = change(state, clock.now())
        if new is None or store.swap(key.name, state, new):
            return new
    raise Throttled(1)  # too much contention: refuse rather than evaluate uncounted


def reserve(keys: list[Key]) -> timedelta:
    """Count one attempt on every key, or raise Throttled when one must still wait. Returns the longest delay
    this attempt started (0 while attempts are free), for the audit log."""
    started = timedelta(0)
    for key in keys:
        def count(state, now, key=key):
            attempts = _current(state, now)
            if attempts and state is not None and now < state.next_at:
                raise Throttled(_wait(state.next_at, now))
            attempts += 1
            return State(attempts, now + delay_after(attempts, key.free), now, state.version + 1 if state else 1)

        new = _compare_and_set(_store(), key, count)
        started = max(started, new.next_at - new.last_at)
    return started


def give_back(keys: list[Key]) -> None:
    """The attempt was right: it no longer counts (its delay, if it started one, is undone)."""
    for key in keys:
        def uncount(state, now, key=key):
            if state is None or _current(state, now) == 0:
                return None
            attempts = state.attempts - 1
            return State(attempts, state.last_at + delay_after(attempts, key.free), state.last_at, state.version + 1)

        _compare_and_set(_store(), key, uncount)


def signed_in(keys: list[Key]) -> None:
    """The login is complete: the account (or device) starts afresh; the address only gets its attempt back."""
    give_back([key for key in keys if key.is_address])
    for key in keys:
        if not key.is_address:
            _compare_and_set(_store(), key, lambda state, now: None if state is None else State(
                0, now, now, state.version + 1))


def wait_seconds(keys: list[Key]) -> int:
    """How long until these keys accept an attempt (0: now)."""
    now = clock.now()
    wait = 0
    for key in keys:
        state = _store().get(key.name)
        if _current(state, now) and state is not None and now < state.next_at:
            wait = max(wait, _wait(state.next_at, now))
    return wait


# ---------------------------------------------------------------- storage


class DatabaseStore:
    """Each write is one conditional statement, committed at once so every process sees it (what the request
    did before is committed with it: the callers have written nothing yet, or have rolled it back)."""

    def get(self, name: str) -> State | None:
        row = db.session.execute(
            select(LoginThrottle.attempts, LoginThrottle.next_at, LoginThrottle.last_at, LoginThrottle.version)
            .where(LoginThrottle.key == name)
        ).first()
        return State(*row) if row else None

    def swap(self, name: str, old: State | None, new: State) -> bool:
        values = {"attempts": new.attempts, "next_at": new.next_at, "last_at": new.last_at, "version": new.version}
        table = LoginThrottle.__table__
        if old is None:
            dialect = db.session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            statement = insert(table).values(key=name, **values).on_conflict_do_nothing().returning(table.c.key)
            done = db.session.execute(statement).first() is not None  # psycopg reports no rowcount here
        else:
            statement = update(table).where(table.c.key == name, table.c.version == old.version).values(**values)
            done = db.session.execute(statement).rowcount == 1
        db.session.commit()
        return done


class RedisStore:
    """One hash per key, changed in a WATCH/MULTI transaction; times from honours.clock (tests move it)."""

    def __init__(self, url: str, prefix: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        self.prefix = prefix
        self.down_until = 0.0

    def get(self, name: str) -> State | None:
        return self._parse(self.client.hgetall(self.prefix + name))

    @staticmethod
    def _parse(fields: dict) -> State | None:
        if not fields:
            return None
        return State(int(fields[b"attempts"]), datetime.fromisoformat(fields[b"next_at"].decode()),
                     datetime.fromisoformat(fields[b"last_at"].decode()), int(fields[b"version"]))

    def swap(self, name: str, old: State | None, new: State) -> bool:
        import redis

        key = self.prefix + name
        window = current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"] * 60
        with self.client.pipeline(transaction=True) as pipe:
            try:
                pipe.watch(key)
                current = self._parse(pipe.hgetall(key))
                if (current.version if current else 0) != (old.version if old else 0):
                    return False
                pipe.multi()
                pipe.hset(key, mapping={"attempts": new.attempts, "next_at": new.next_at.isoformat(),
                                        "last_at": new.last_at.isoformat(), "version": new.version})
                pipe.expire(key, window + current_app.config["LOGIN_MAX_DELAY_SECONDS"] + 60)
                pipe.execute()
            except redis.WatchError:
                return False
        return True


class FallbackStore:
    """Redis first; the database while Redis is unreachable."""

    def __init__(self, primary: RedisStore, fallback: DatabaseStore):
        self.primary, self.fallback = primary, fallback

    def _call(self, name: str, *args):
        import redis

        if time.monotonic() >= self.primary.down_until:
            try:
                return getattr(self.primary, name)(*args)
            except redis.RedisError as error:
                self.primary.down_until = time.monotonic() + REDIS_RETRY_SECONDS
                log.warning("Redis unreachable for login throttling (%s); counting attempts in the database "
                            "for the next %s seconds", error, REDIS_RETRY_SECONDS)
        return getattr(self.fallback, name)(*args)

    def get(self, name: str) -> State | None:
        return self._call("get", name)

    def swap(self, name: str, old: State | None, new: State) -> bool:
        return self._call("swap", name, old, new)


def _store():
    """The store of the current app (built once per app)."""
    app = current_app._get_current_object()
    store = app.extensions.get("login_throttle")
    if store is None:
        url = app.config.get("REDIS_URL")
        if url:
            store = FallbackStore(RedisStore(url, app.config["REDIS_KEY_PREFIX"] + "login:"), DatabaseStore())
        else:
            store = DatabaseStore()
        app.extensions["login_throttle"] = store
    return store


backend = _store
