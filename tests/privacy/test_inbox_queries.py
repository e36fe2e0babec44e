"""The request inbox and a request's page run the same statements whatever the number of requests and actions."""
from datetime import timedelta

from honours.core import clock, roles
from honours.core.db import db
from honours.privacy.models import DataRequest, DataRequestAction
from honours.privacy.workflows import IN_PROGRESS, KIND_LABELS, RECEIVED
from tests.core.test_query_counts import queries_for
from tests.factories import make_user


def _add(count: int, handler) -> DataRequest:
    kinds = sorted(KIND_LABELS)
    for i in range(count):
        request = DataRequest(email=f"nguoi{i}@example.vn", kind=kinds[i % len(kinds)],
                              state=IN_PROGRESS if i % 2 else RECEIVED, received_at=clock.now(),
                              deadline=clock.now() + timedelta(days=i - 3), handled_by_id=handler.id)
        request.actions = [DataRequestAction(note=f"Bước {n}", taken_by_id=handler.id) for n in range(i % 3 + 1)]
        db.session.add(request)
    db.session.commit()
    return request


def test_inbox_and_request_page_run_the_same_statements_at_two_sizes(app):
    secretary = make_user(roles.SECRETARIAT)
    counts = []
    for size in (2, 12):
        last = _add(size, make_user(roles.ADMIN))
        counts.append((queries_for(app, secretary, "/yeu-cau-du-lieu/"),
                       queries_for(app, secretary, "/yeu-cau-du-lieu/?state=all"),
                       queries_for(app, secretary, f"/yeu-cau-du-lieu/{last.id}")))
    assert counts[0] == counts[1], counts


def test_the_persons_page_runs_the_same_statements_whatever_is_held(app):
    from honours.nominations import states
    from honours.privacy import services
    from tests.core.test_query_counts import count_queries
    from tests.factories import make_dossier, make_org, make_person, make_referral, make_round

    round_, org = make_round(), make_org()
    nominator = make_user(roles.NOMINATOR, org)
    person = make_person(email="binh@example.vn")
    url = "/du-lieu-ca-nhan/" + services.token_for("binh@example.vn")
    client = app.test_client()
    client.get(url)
    counts = []
    for size in (1, 4):
        for _ in range(size):
            make_dossier(round_, org, nominator, state=states.PUBLISHED, email="binh@example.vn", person_id=person.id)
            make_referral(person, org, nominator, email="Binh@example.vn")
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
