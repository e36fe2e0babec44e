"""Ballot secrecy against someone who can read the database: ballots wait encrypted in the session's urn and are
inserted only at close, all at once and shuffled, so no transaction id (xmin), physical order (ctid), id or
timestamp pairs a receipt (who voted) with a ballot (how). Closing needs the quorum's number of ballots."""
import pytest
from flask import current_app
from sqlalchemy import func, select, text

from honours.core.db import db
from honours.core.errors import RuleViolation
from honours.council import services, urn
from honours.council.models import Ballot, BallotReceipt, BallotUrn
from tests.council.test_council import SCIENCE, open_with, scored, vote, world  # noqa: F401 (the fixture)

# Seven members, seven different ballots over three dossiers (science's quota is three: every mix is allowed).
PATTERNS = [(1, 0, 0), (0, 1, 0), (0, 0, 1), (1, 1, 0), (1, 0, 1), (0, 1, 1), (1, 1, 1)]


def _cast_all(world):
    dossiers = [scored(world, name, 80, field=SCIENCE) for name in ("An Một", "Bình Hai", "Cường Ba")]
    session = open_with(world, 7)
    for member, pattern in zip(world["council"], PATTERNS):
        vote(member, session, [d.id for d, agree in zip(dossiers, pattern) if agree], dossiers)
        db.session.commit()  # each vote is its own request, so its own transaction
    return session, dossiers


def test_a_cast_ballot_is_only_in_the_sealed_urn_until_voting_closes(world):
    session, dossiers = _cast_all(world)
    assert db.session.scalar(select(func.count(Ballot.id))) == 0
    sealed = db.session.get(BallotUrn, session.id).sealed
    assert sealed.startswith("gAAAAA") and "[[" not in sealed and "true" not in sealed  # a Fernet token only
    assert sorted(map(tuple, (tuple(map(tuple, b)) for b in urn.unseal(sealed)))) == sorted(
        tuple((d.id, bool(agree)) for d, agree in zip(dossiers, pattern)) for pattern in PATTERNS)
    current_app.config["SECRET_KEY"] = "another-key-than-the-one-that-sealed-it"
    with pytest.raises(urn.UrnUnreadable):
        urn.unseal(sealed)


def test_closing_empties_the_urn_into_shuffled_ballots_that_tally_correctly(world, monkeypatch):
    session, dossiers = _cast_all(world)
    orders = []
    real = urn.shuffled
    monkeypatch.setattr(urn, "shuffled", lambda items: orders.append(real(items)) or orders[-1])
    services.close_voting(world["secretary"], session, confirmed=True)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(BallotUrn)) == 0
    assert len(orders[-1]) == 7  # the close inserted the ballots in the shuffle's order, not the casting order
    rows = {r.dossier.id: r for r in services.tally(session).rows}
    for i, dossier in enumerate(dossiers):
        assert rows[dossier.id].agree == sum(p[i] for p in PATTERNS) == 4
    if db.engine.dialect.name == "postgresql":
        stored = db.session.execute(text(
            "SELECT b.id FROM ballot b ORDER BY b.ctid")).scalars().all()
        by_choices = {}
        for ballot in db.session.scalars(select(Ballot)):
            by_choices[tuple(sorted((c.dossier_id, c.agree) for c in ballot.choices))] = ballot.id
        assert stored == [by_choices[tuple((int(d), bool(a)) for d, a in b)] for b in orders[-1]]


def test_closing_needs_the_quorums_number_of_ballots(world):
    dossier = scored(world, "Nguyễn Văn An", 80)
    session = open_with(world, 7)  # quorum: 5 of 7
    vote(world["council"][0], session, [dossier.id], [dossier])
    with pytest.raises(RuleViolation, match="Mới có 1 phiếu bầu; cần ít nhất 5 phiếu"):
        services.close_voting(world["secretary"], session, confirmed=True)  # a tally of one ballot would show that vote
    for member in world["council"][1:4]:
        vote(member, session, [], [dossier])
    with pytest.raises(RuleViolation, match="cần ít nhất 5 phiếu"):
        services.close_voting(world["secretary"], session, confirmed=True)
    vote(world["council"][4], session, [], [dossier])
    services.close_voting(world["secretary"], session, confirmed=True)
    assert services.tally(session).ballots == 5


@pytest.mark.skipif("postgresql" not in (__import__("os").environ.get("TEST_DATABASE_URL") or ""),
                    reason="xmin and ctid are PostgreSQL's")
def test_no_query_over_xmin_ctid_or_order_links_receipts_to_ballots_on_postgresql(world):
    session, _ = _cast_all(world)
    sql = lambda query: db.session.execute(text(query)).all()  # noqa: E731
    # While the vote is open: no ballot row exists, and the urn's xmin is only the last voter's.
    assert sql("SELECT r.user_id FROM ballot_receipt r JOIN ballot b ON b.xmin = r.xmin") == []
    services.close_voting(world["secretary"], session, confirmed=True)
    db.session.commit()

    # The attack of issue 10: receipt and ballot written by one transaction.
    assert sql("SELECT r.user_id FROM ballot_receipt r JOIN ballot b ON b.xmin = r.xmin") == []
    assert sql("SELECT r.user_id FROM ballot_receipt r JOIN ballot_choice c ON c.xmin = r.xmin") == []
    # Every ballot and choice was written by the one closing transaction, which wrote no receipt.
    assert sql("SELECT count(DISTINCT xmin::text) FROM ballot")[0][0] == 1
    assert sql("SELECT count(DISTINCT xmin::text) FROM ballot_choice")[0][0] == 1
    assert sql("SELECT 1 FROM ballot b, ballot_choice c WHERE b.xmin <> c.xmin") == []
    # Nothing a ballot carries can be ordered like the receipts: no serial, no timestamp, no voter.
    columns = {name for (name,) in sql("SELECT column_name FROM information_schema.columns "
                                       "WHERE table_name IN ('ballot', 'ballot_choice')")}
    assert columns == {"id", "session_id", "ballot_id", "dossier_id", "agree"}
    assert sql("SELECT 1 FROM ballot_urn") == []
    receipts = db.session.scalar(select(func.count(BallotReceipt.id)))
    assert receipts == db.session.scalar(select(func.count(Ballot.id))) == 7


def test_every_sealed_ballot_has_the_same_length_whatever_the_vote(world):
    """Old row versions keep the urn's size after each vote: a ballot's length must not depend on its choices."""
    import json

    session, _dossiers = _cast_all(world)
    ballots = urn.unseal(db.session.get(BallotUrn, session.id).sealed)
    assert len({len(json.dumps(b, separators=(",", ":"))) for b in ballots}) == 1
