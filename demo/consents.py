"""The nominees' consent in the demo, in every state: answered online (all given, or partly refused), on paper
(last year's honourees, whose consent the secretariat recorded from signed forms), one withdrawal of publication
(b) after the list was published, links still waiting for an answer, a paper form pending and a scan waiting for
the secretariat's confirmation."""
import io
from datetime import datetime, timedelta

from sqlalchemy import select

from honours.consent import services as consent
from honours.consent.models import ConsentRequest
from honours.consent.purposes import CODES
from honours.consent.workflows import PAPER_PENDING
from honours.core import clock, roles
from honours.core.db import db
from honours.nominations.models import Dossier

from .files import sample_pdf

DEMO_ADDRESS = "192.0.2.10"  # documentation range (RFC 5737): no real visitor


def answers(refused=()) -> dict[str, bool]:
    return {code: code not in refused for code in CODES}


def answer_online(dossier, refused=()) -> None:
    """The nominee answers the link the submission emailed."""
    request = consent.request_for(dossier)
    consent.answer(consent.link_for(request).rsplit("/", 1)[1], answers(refused), DEMO_ADDRESS)


def upload_signed_form(nominator, dossier) -> None:
    request = consent.request_for(dossier)
    scan = sample_pdf([f"PHIEU DONG Y XU LY DU LIEU CA NHAN - DY-{request.id:05d}", "Da ky, ghi ro ho ten"])
    consent.upload_scan(nominator, request, io.BytesIO(scan), f"phieu-dong-y-{request.id}.pdf")


def consent_on_paper(nominator, secretary, dossier, refused=()) -> None:
    """The signed form uploaded by the organisation, its ticks recorded by the secretariat."""
    upload_signed_form(nominator, dossier)
    consent.confirm_paper(secretary, consent.request_for(dossier), answers(refused))


def consent_before_check(nominator, secretary, dossier, number: int) -> None:
    """What the nominee answered before the secretariat found the dossier eligible: online when the dossier has an
    email (every third partly refused: no publication, no talent programmes), else on paper."""
    if dossier.email:
        answer_online(dossier, refused=("b", "e") if number % 3 == 0 else ())
    else:
        consent_on_paper(nominator, secretary, dossier)


def seed_paper_waiting(now: datetime, round_, accounts: list) -> None:
    """Of the submitted dossiers without an email (their forms pending), the first one's signed form is uploaded
    and waits for the secretariat's confirmation."""
    pending = db.session.scalars(
        select(Dossier).join(ConsentRequest, ConsentRequest.dossier_id == Dossier.id)
        .where(Dossier.round_id == round_.id, ConsentRequest.state == PAPER_PENDING).order_by(Dossier.id)).all()
    if len(pending) < 2:
        raise AssertionError("the demo needs two paper forms pending (one stays pending, one is uploaded)")
    nominator = next(u for u in accounts if u.role == roles.NOMINATOR and u.organisation_id == pending[0].organisation_id)
    with clock.frozen(now - timedelta(hours=3)):
        upload_signed_form(nominator, pending[0])
