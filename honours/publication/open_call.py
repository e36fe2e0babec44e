"""The public home page: the open call (rounds taking nominations, or the next one), its fields, quotas, criteria,
deadline and documents, who to contact; when no round is open or coming, a teaser of the latest honoured list.

Only what a round announces publicly is read: no dossier, no count of nominations."""
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from honours.core import clock
from honours.core.db import db
from honours.rounds.models import Round

from . import media, services
from .models import RoundDocument

TEASER_SIZE = 6


@dataclass
class Call:
    round: Round
    is_open: bool
    days_left: int  # whole calendar days until the closing day (0: it closes today); for a coming round, until it opens
    documents: list[RoundDocument] = field(default_factory=list)

    @property
    def total_quota(self) -> int:
        return sum(f.quota for f in self.round.fields)


@dataclass
class HomePage:
    calls: list[Call]
    teaser: services.Listing | None
    teaser_honourees: list[services.Honouree]


def _days(moment: datetime, now: datetime) -> int:
    return (moment.date() - now.date()).days


def _rounds(*conditions, order, limit=None) -> list[Round]:
    query = (select(Round).options(selectinload(Round.fields), selectinload(Round.criteria))
             .where(*conditions).order_by(*order))
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def home_page() -> HomePage:
    """A bounded number of queries whatever the number of rounds: rounds, fields, criteria, documents (or the
    teaser's three)."""
    now = clock.now()
    open_rounds = _rounds(Round.nominations_open_at <= now, Round.nominations_close_at >= now,
                          order=(Round.nominations_close_at, Round.id))
    if open_rounds:
        documents = media.documents_of(r.id for r in open_rounds)
        calls = [Call(r, True, _days(r.nominations_close_at, now), documents[r.id]) for r in open_rounds]
        return HomePage(calls, None, [])
    coming = _rounds(Round.nominations_open_at > now, order=(Round.nominations_open_at, Round.id), limit=1)
    # A coming round is not announced yet: its dates and fields show, its documents not (media.is_announced).
    calls = [Call(r, False, _days(r.nominations_open_at, now)) for r in coming]
    year = services.latest_published_year()
    teaser = services.listing_for_year(year) if year is not None else None
    honourees = teaser.honourees[:TEASER_SIZE] if teaser else []
    return HomePage(calls, teaser, honourees)


@dataclass(frozen=True)
class Contact:
    email: str
    phone: str
    address: str


def contact() -> Contact:
    """The secretariat's public contact, from the configuration (PUBLIC_CONTACT_EMAIL/PHONE/ADDRESS)."""
    config = current_app.config
    return Contact(config.get("PUBLIC_CONTACT_EMAIL", "").strip(), config.get("PUBLIC_CONTACT_PHONE", "").strip(),
                   config.get("PUBLIC_CONTACT_ADDRESS", "").strip())
