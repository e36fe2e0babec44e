"""The public opinion form fuzzed over HTTP (tests/core/test_fuzz_forms.py's properties): never a server error,
a refused submission writes nothing (the rate limiter's own bookkeeping aside), an accepted one stored what was
sent — or nothing at all when the honeypot was filled."""
from datetime import timedelta

import pytest

from honours.core import clock, roles
from honours.nominations import states
from honours.notice.models import Opinion
from tests.core.test_fuzz_forms import count, first, fuzz, newest, post, submissions
from tests.factories import make_dossier, make_org, make_round, make_user

VALID = {"sender_name": "Lê Văn Dân", "contact": "0912 345 678", "content": "Đề nghị xác minh giải thưởng.",
         "website": ""}


@pytest.fixture
def opinion_url(app):
    app.config["NOTICE_OPINIONS_PER_IP"] = 100_000
    now = clock.now()
    round_ = make_round(notice_days=10, notice_opened_at=now, notice_ends_at=now + timedelta(days=10),
                        council_stage="confirmed")
    org = make_org()
    dossier = make_dossier(round_, org, make_user(roles.NOMINATOR, org), state=states.APPROVED)
    return f"/cong-khai/{round_.id}/y-kien/{dossier.id}"


def test_fuzz_public_opinion_form(app, opinion_url):
    client = app.test_client()

    def example(data):
        before = count(Opinion)
        accepted = post(client, opinion_url, data, ignored=("rate_limit_hit",))
        if not accepted:
            return False
        if (first(data, "website") or "").strip():
            assert count(Opinion) == before  # a robot: answered as received, nothing stored
            return True
        opinion = newest(Opinion)
        assert count(Opinion) == before + 1
        assert opinion.sender_name == " ".join(first(data, "sender_name").split())
        assert opinion.contact == " ".join(first(data, "contact").split())
        assert opinion.content == first(data, "content").strip()
        return True

    fuzz(submissions(VALID), example, regressions=[VALID, {**VALID, "website": "x"}, {**VALID, "contact": "@"}])
