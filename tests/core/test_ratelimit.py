"""The shared rate limiter (honours.core.ratelimit): a sliding window per key, counted in the database or in
Redis, the database taking over while Redis is down; buckets never name the key in clear."""
import threading
from datetime import timedelta

import pytest

from honours.core import clock, ratelimit
from honours.core.db import db
from tests.conftest import NOW, REDIS_URL

WINDOW = timedelta(minutes=10)


def attempts(count: int, key="42") -> list[bool]:
    return [ratelimit.allow("test", key, 3, WINDOW) for _attempt in range(count)]


def test_the_database_counts_per_key_within_a_sliding_window(app):
    assert attempts(5) == [True, True, True, False, False]
    assert attempts(1, key="43") == [True]
    buckets = set(db.session.scalars(db.select(ratelimit.RateLimitHit.bucket)))
    assert len(buckets) == 2 and all(bucket.startswith("test:") and len(bucket) == 45 for bucket in buckets)
    with clock.frozen(NOW + WINDOW + timedelta(seconds=1)):
        assert attempts(4) == [True, True, True, False]  # refused attempts did not prolong the wait
        assert db.session.query(ratelimit.RateLimitHit).count() == 3 + 1  # old rows of the key pruned


def parallel_attempts(app, count: int) -> list[bool]:
    """`count` attempts at once, each from its own thread with its own database connection (as requests)."""
    results, start = [], threading.Barrier(count)

    def attempt():
        with app.app_context():
            start.wait()
            results.append(ratelimit.allow("parallel", "42", 3, WINDOW))
            db.session.remove()

    threads = [threading.Thread(target=attempt) for _n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_attempts_made_at_once_never_pass_the_limit(app, backend, request):
    if backend == "redis":
        app.config.update(REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=request.getfixturevalue("redis_prefix"))
    db.session.commit()
    results = parallel_attempts(app, 12)
    assert len(results) == 12 and results.count(True) == 3


def test_redis_counts_when_configured(app, redis_prefix):
    import redis

    app.config.update(REDIS_URL=REDIS_URL, REDIS_KEY_PREFIX=redis_prefix)
    assert attempts(4) == [True, True, True, False]
    assert db.session.query(ratelimit.RateLimitHit).count() == 0
    keys = list(redis.Redis.from_url(REDIS_URL).scan_iter(match=redis_prefix + "*"))
    assert len(keys) == 1 and keys[0].startswith((redis_prefix + "rate:test:").encode()) and len(keys[0].split(b":")[-1]) == 40


def test_an_unreachable_redis_falls_back_to_the_database(app, caplog):
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0", REDIS_KEY_PREFIX="unused:")
    assert attempts(4) == [True, True, True, False]
    assert db.session.query(ratelimit.RateLimitHit).count() == 3
    assert any("Redis unreachable" in record.getMessage() for record in caplog.records)
