"""Simultaneous requests: the nomination limit holds when two submissions race."""
import threading

from sqlalchemy import func, select

from honours.core import roles
from honours.core.db import db
from honours.nominations import states
from honours.nominations.models import Dossier
from tests.conftest import login
from tests.factories import make_dossier, make_org, make_round, make_user


def test_two_simultaneous_submissions_cannot_exceed_the_organisation_limit(app):
    round_ = make_round()
    org = make_org(nomination_limit=1)
    users = [make_user(roles.NOMINATOR, org) for _ in range(2)]
    dossiers = [make_dossier(round_, org, user, full_name=f"Người {i}") for i, user in enumerate(users)]
    clients = []
    for user in users:
        client = app.test_client()
        login(client, user)
        clients.append(client)
    versions = [d.version for d in dossiers]
    ids = [d.id for d in dossiers]
    start = threading.Barrier(2)
    statuses = []

    def submit(i):
        with app.app_context():
            start.wait()
            response = clients[i].post(f"/dossiers/{ids[i]}/submit", data={"version": versions[i]})
            statuses.append(response.status_code)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [302, 302]  # both answered cleanly (one with the refusal message)
    db.session.expire_all()
    submitted = db.session.scalar(select(func.count(Dossier.id)).where(Dossier.state == states.SUBMITTED))
    assert submitted == 1
