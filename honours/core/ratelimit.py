"""A small rate limiter shared by every app process: at most `limit` attempts per key within a sliding window.

Attempts are rows in the database (the default) or, when REDIS_URL is set, a sorted set per key in Redis (the
database takes over while Redis does not answer). An attempt is counted only when it is allowed, and committed at
once: a refused or rolled-back request still counts, and a refused one does not prolong the wait.
"""
import hashlib
import logging
import time
import uuid
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import String, delete, func, select, text
from sqlalchemy.orm import Mapped, mapped_column

from honours.core import clock
from honours.core.clock import PROVINCE_TZ
from honours.core.db import db

log = logging.getLogger(__name__)
REDIS_RETRY_SECONDS = 30


class RateLimitHit(db.Model):
    """One allowed attempt of a rate-limited action (the bucket names the action and who attempts it)."""

    __tablename__ = "rate_limit_hit"

    id: Mapped[int] = mapped_column(primary_key=True)
    bucket: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(default=clock.now, index=True)


def _bucket(scope: str, key) -> str:
    # Hashed: the bucket names no email or address to whoever reads the table or lists Redis keys.
    return f"{scope}:{hashlib.sha256(str(key).encode()).hexdigest()[:40]}"


class DatabaseLimiter:
    def allow(self, bucket: str, limit: int, window: timedelta) -> bool:
        now = clock.now()
        if db.session.get_bind().dialect.name == "postgresql":
            # Count and insert as one step per bucket: a second attempt waits here until the first commits
            # (SQLite serialises the DELETE below by itself).
            lock_key = int.from_bytes(hashlib.sha256(bucket.encode()).digest()[:8], "big", signed=True)
            db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key})
        db.session.execute(delete(RateLimitHit).where(RateLimitHit.bucket == bucket, RateLimitHit.at < now - window))
        count = db.session.scalar(select(func.count(RateLimitHit.id)).where(RateLimitHit.bucket == bucket))
        if count < limit:
            db.session.add(RateLimitHit(bucket=bucket, at=now))
        db.session.commit()
        return count < limit


class RedisLimiter:
    def __init__(self, url: str, prefix: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
        self.prefix = prefix
        self.down_until = 0.0

    def allow(self, bucket: str, limit: int, window: timedelta) -> bool:
        key = self.prefix + bucket
        now = clock.now().replace(tzinfo=PROVINCE_TZ).timestamp()
        seconds = window.total_seconds()
        member = f"{now}:{uuid.uuid4().hex}"
        # Add, then count what is there: of attempts made at the same instant none is missed, so no more than
        # `limit` are ever allowed; one over the limit takes itself back out.
        with self.client.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(key, "-inf", now - seconds)
            pipe.zadd(key, {member: now})
            pipe.zcard(key)
            pipe.expire(key, int(seconds) + 60)
            _removed, _added, count, _expiry = pipe.execute()
        if count > limit:
            self.client.zrem(key, member)
            return False
        return True


class FallbackLimiter:
    def __init__(self, primary: RedisLimiter, fallback: DatabaseLimiter):
        self.primary, self.fallback = primary, fallback

    def allow(self, bucket: str, limit: int, window: timedelta) -> bool:
        import redis

        if time.monotonic() >= self.primary.down_until:
            try:
                return self.primary.allow(bucket, limit, window)
            except redis.RedisError as error:
                self.primary.down_until = time.monotonic() + REDIS_RETRY_SECONDS
                log.warning("Redis unreachable for rate limiting (%s); counting in the database for %s s",
                            error, REDIS_RETRY_SECONDS)
        return self.fallback.allow(bucket, limit, window)


def _backend():
    app = current_app._get_current_object()
    limiter = app.extensions.get("rate_limiter")
    if limiter is None:
        url = app.config.get("REDIS_URL")
        limiter = (FallbackLimiter(RedisLimiter(url, app.config["REDIS_KEY_PREFIX"] + "rate:"), DatabaseLimiter())
                   if url else DatabaseLimiter())
        app.extensions["rate_limiter"] = limiter
    return limiter


def allow(scope: str, key, limit: int, window: timedelta) -> bool:
    """Count one attempt of `scope` by `key` (an account id, an address) and say whether it is within the limit.
    Commits the current session (call it before the attempt writes anything)."""
    return _backend().allow(_bucket(scope, key), limit, window)
