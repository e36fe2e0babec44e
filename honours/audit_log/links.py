"""Where each object of the audit log can be opened, for the reader of the log: one query per kind of object shown
on a page (never one per row), then the page's own rule (its roles, and the object's rule for dossiers and
referrals, whose drafts stay private to their organisation)."""
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import select

from honours.auth.models import User
from honours.core.db import db
from honours.council.models import CouncilSession
from honours.incidents.models import Incident
from honours.nominations.access import can_view_dossier
from honours.nominations.models import Dossier
from honours.organisations.models import Organisation
from honours.people.models import Person, PersonChangeProposal
from honours.reviews.models import ScoreSheet
from honours.rounds.models import Round
from honours.talent.access import can_view_referral
from honours.talent.models import NeedMatch, PoolEntry, Referral, TalentNeed


@dataclass(frozen=True)
class Target:
    """The page of an entity type: `endpoint(param=<target column>)`; `name` labels the link when there is one;
    `can_view(user, object)` is the object's own rule (the whole row is loaded only then)."""

    endpoint: str
    param: str | None
    model: type
    target: object  # the column whose value goes into the URL
    name: object = None
    can_view: Callable | None = None


TARGETS = {
    "dossier": Target("nominations.show", "dossier_id", Dossier, Dossier.id, Dossier.full_name, can_view_dossier),
    "referral": Target("talent.show", "referral_id", Referral, Referral.id, Referral.full_name, can_view_referral),
    "round": Target("rounds.show", "round_id", Round, Round.id, Round.name),
    "council_session": Target("council.round_page", "round_id", CouncilSession, CouncilSession.round_id),
    "score_sheet": Target("nominations.show", "dossier_id", ScoreSheet, ScoreSheet.dossier_id),
    "person": Target("people.show", "person_id", Person, Person.id, Person.full_name),
    "person_change": Target("people.show", "person_id", PersonChangeProposal, PersonChangeProposal.person_id),
    "organisation": Target("organisations.edit", "organisation_id", Organisation, Organisation.id, Organisation.name),
    "talent_pool_entry": Target("talent.entry", "pool_entry_id", PoolEntry, PoolEntry.id),
    "talent_need": Target("talent.need", "need_id", TalentNeed, TalentNeed.id, TalentNeed.title),
    "talent_match": Target("talent.need", "need_id", NeedMatch, NeedMatch.need_id),
    "user": Target("users.edit", "user_id", User, User.id, User.full_name),  # a link once accounts can be edited
    "security_policy": Target("two_factor.policy", None, None, None),
    "incident": Target("incidents.edit", "incident_id", Incident, Incident.id, Incident.summary),
}


@dataclass(frozen=True)
class Link:
    url: str | None
    name: str = ""


def _page_allows(viewer, endpoint: str, param: str | None) -> bool:
    view = current_app.view_functions.get(endpoint)
    if view is None:
        return False
    if param is not None and not any(param in rule.arguments for rule in current_app.url_map.iter_rules(endpoint)):
        return False
    allowed = getattr(view, "allowed_roles", None)  # None: any signed-in user, the object's rule decides
    return allowed is None or viewer.role in allowed


def links(viewer, entries: Iterable) -> dict[tuple[str, int], Link]:
    """(entity type, id) -> Link for the entries on one page; an object that no longer exists, or that the viewer
    may not open, gets no URL (and its name only when the viewer may know it)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        if entry.entity_type in TARGETS and entry.entity_id:
            wanted[entry.entity_type].add(entry.entity_id)
    found: dict[tuple[str, int], Link] = {}
    for entity_type, ids in wanted.items():
        target = TARGETS[entity_type]
        if not _page_allows(viewer, target.endpoint, target.param):
            continue
        if target.model is None:
            found.update({(entity_type, i): Link(url_for(target.endpoint)) for i in ids})
            continue
        if target.can_view is not None:
            for obj in db.session.scalars(select(target.model).where(target.model.id.in_(ids))):
                if target.can_view(viewer, obj):
                    url = url_for(target.endpoint, **{target.param: getattr(obj, target.target.key)})
                    found[(entity_type, obj.id)] = Link(url, getattr(obj, target.name.key) if target.name else "")
            continue
        columns = [target.model.id, target.target] + ([target.name] if target.name is not None else [])
        for row in db.session.execute(select(*columns).where(target.model.id.in_(ids))):
            url = url_for(target.endpoint, **{target.param: row[1]})
            found[(entity_type, row[0])] = Link(url, row[2] if target.name is not None else "")
    return found
