"""Each role's home page runs the same SQL statements whatever the data size (counts are aggregates)."""
import pytest

from honours.core import roles
from honours.core.db import db
from tests.conftest import wipe
from tests.core.test_query_counts import queries_for
from tests.home.world import build

ROLES = [roles.NOMINATOR, roles.COUNCIL, roles.SECRETARIAT, roles.ADMIN]


def _user(world, role):
    return {roles.NOMINATOR: world.nominator, roles.COUNCIL: world.member, roles.SECRETARIAT: world.secretary,
            roles.ADMIN: world.admin}[role]


@pytest.mark.parametrize("role", ROLES)
def test_home_page_runs_the_same_statements_at_two_sizes(app, role):
    counts = []
    for scale in (1, 6):
        world = build(scale)
        counts.append(queries_for(app, _user(world, role), "/"))
        db.session.close()  # end this session's transaction, or PostgreSQL's TRUNCATE waits for it forever
        wipe(app)
    assert counts[0] == counts[1], f"{role}: {counts[0]} statements at scale 1, {counts[1]} at scale 6"
    assert counts[0] <= 14, counts
