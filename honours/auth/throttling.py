"""Login throttling that holds across every app process: failures counted per email and per client address.

Two backends with the same thresholds (LOGIN_MAX_FAILURES, LOGIN_MAX_FAILURES_PER_IP within
LOGIN_LOCKOUT_MINUTES): the database (LoginFailure rows, the default) and Redis (sliding-window sorted sets,
used when REDIS_URL is set). If Redis is configured but unreachable the database takes over for a while, with a
warning in the log: logins neither fail open nor crash.
"""
import hashlib
import logging
import time
import uuid
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select

from honours.core import clock
from honours.core.clock import PROVINCE_TZ
from honours.core.db import db

from .models import LoginFailure

log = logging.getLogger(__name__)
# After Redis fails, skip it for this long instead of waiting for its timeout on every login.
REDIS_RETRY_SECONDS = 30


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])


def _over_limits(by_email: int, by_ip: int) -> bool:
    config = current_app.config
    return by_email >= config["LOGIN_MAX_FAILURES"] or by_ip >= config["LOGIN_MAX_FAILURES_PER_IP"]


class DatabaseThrottle:
    def is_throttled(self, email: str, ip: str) -> bool:
        since = clock.now() - _window()
        by_email, by_ip = db.session.execute(
            select(
                func.count(LoginFailure.id).filter(LoginFailure.email == email),
                func.count(LoginFailure.id).filter(LoginFailure.ip == ip),
            ).where(LoginFailure.at >= since, or_(LoginFailure.email == email, LoginFailure.ip == ip))
        ).one()
        return _over_limits(by_email, by_ip)

    def record_failure(self, email: str, ip: str) -> None:
        db.session.add(LoginFailure(email=email, ip=ip))
        db.session.commit()

    def clear(self, email: str) -> None:
        db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
        db.session.commit()


class RedisThrottle:
    """One sorted set per email and per address, scored by the failure time (honours.clock, so tests can move
    time); entries older than the window are dropped and the key expires on its own."""

    def __init__(self, url: str, prefix: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        self.prefix = prefix
        self.down_until = 0.0

    def _keys(self, email: str, ip: str) -> tuple[str, str]:
        # Hashed: the key names reveal no addresses to whoever can list Redis keys.
        digest = hashlib.sha256(email.encode()).hexdigest()[:32]
        return f"{self.prefix}email:{digest}", f"{self.prefix}ip:{ip}"

    @staticmethod
    def _now() -> float:
        return clock.now().replace(tzinfo=PROVINCE_TZ).timestamp()

    def is_throttled(self, email: str, ip: str) -> bool:
        since = self._now() - _window().total_seconds()
        with self.client.pipeline(transaction=False) as pipe:
            for key in self._keys(email, ip):
                pipe.zcount(key, since, "+inf")
            by_email, by_ip = pipe.execute()
        return _over_limits(by_email, by_ip)

    def record_failure(self, email: str, ip: str) -> None:
        now = self._now()
        window = int(_window().total_seconds())
        with self.client.pipeline(transaction=True) as pipe:
            for key in self._keys(email, ip):
                pipe.zadd(key, {f"{now}:{uuid.uuid4().hex}": now})
                pipe.zremrangebyscore(key, "-inf", now - window)
                pipe.expire(key, window + 60)
            pipe.execute()

    def clear(self, email: str) -> None:
        self.client.delete(self._keys(email, "")[0])


class FallbackThrottle:
    """Redis first; the database while Redis is unreachable."""

    def __init__(self, primary: RedisThrottle, fallback: DatabaseThrottle):
        self.primary, self.fallback = primary, fallback

    def _call(self, name: str, *args):
        import redis

        if time.monotonic() >= self.primary.down_until:
            try:
                return getattr(self.primary, name)(*args)
            except redis.RedisError as error:
                self.primary.down_until = time.monotonic() + REDIS_RETRY_SECONDS
                log.warning("Redis unreachable for login throttling (%s); counting failures in the database "
                            "for the next %s seconds", error, REDIS_RETRY_SECONDS)
        return getattr(self.fallback, name)(*args)

    def is_throttled(self, email: str, ip: str) -> bool:
        return self._call("is_throttled", email, ip)

    def record_failure(self, email: str, ip: str) -> None:
        self._call("record_failure", email, ip)

    def clear(self, email: str) -> None:
        self._call("clear", email)


def backend():
    """The throttle of the current app (built once per app)."""
    app = current_app._get_current_object()
    throttle = app.extensions.get("login_throttle")
    if throttle is None:
        url = app.config.get("REDIS_URL")
        if url:
            throttle = FallbackThrottle(RedisThrottle(url, app.config["REDIS_KEY_PREFIX"] + "login:"),
                                        DatabaseThrottle())
        else:
            throttle = DatabaseThrottle()
        app.extensions["login_throttle"] = throttle
    return throttle
