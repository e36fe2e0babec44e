"""The secretariat's lists of opinions and complaints run the same statements whatever the number of rows."""
from datetime import timedelta

import pytest

from honours.complaints.models import Complaint
from honours.core import clock, roles
from honours.core.db import db
from honours.nominations import states
from honours.notice.models import Opinion
from tests.conftest import login
from tests.core.test_query_counts import count_queries
from tests.factories import make_dossier, make_org, make_round, make_user


@pytest.fixture
def world(app):
    now = clock.now()
    round_ = make_round(notice_days=10, notice_opened_at=now, notice_ends_at=now + timedelta(days=10),
                        council_stage="confirmed")
    org = make_org()
    nominator = make_user(roles.NOMINATOR, org)
    return {"round": round_, "org": org, "nominator": nominator, "secretary": make_user(roles.SECRETARIAT),
            "serial": iter(range(1000))}


def add_rows(world, n: int) -> None:
    for _ in range(n):
        i = next(world["serial"])
        dossier = make_dossier(world["round"], world["org"], world["nominator"], state=states.APPROVED,
                               full_name=f"Người Thứ {i}")
        db.session.add(Opinion(round_id=world["round"].id, dossier_id=dossier.id, receipt=f"YK-000000-{i:06d}",
                               sender_name="Lê An", contact="0912345678", content="Ý kiến"))
        db.session.add(Complaint(dossier_id=dossier.id, round_id=world["round"].id, complainant="organisation",
                                 complainant_name="Hội", decision=states.NOT_APPROVED, decided_at=clock.now(),
                                 content="Khiếu nại"))
    db.session.commit()


@pytest.mark.parametrize("url", ["/y-kien-cong-khai/", "/khieu-nai/", "/y-kien-cong-khai/dot/{round_id}"])
def test_lists_run_the_same_queries_at_two_sizes(app, world, url):
    client = app.test_client()
    login(client, world["secretary"])
    url = url.format(round_id=world["round"].id)

    def count() -> int:
        client.get(url)
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    add_rows(world, 2)
    small = count()
    add_rows(world, 6)
    assert count() == small
