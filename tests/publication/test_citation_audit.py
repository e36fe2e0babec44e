"""The public citation is the text of an honour: every change the secretariat makes — while preparing the list
and after publication — is in the audit log with who, when and the old and new wording."""
from datetime import timedelta

from sqlalchemy import select

from honours.core import clock
from honours.core.audit import AuditEntry
from honours.core.db import db
from honours.nominations import states
from honours.publication import services
from honours.publication.services import CitationEdit
from tests.publication.test_publication import publish, world  # noqa: F401  (the fixture)


def _citation_entries() -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "edit_citation").order_by(AuditEntry.id)))


def test_every_citation_edit_is_audited_with_the_old_and_new_text(world, app):  # noqa: F811
    secretary, hung, dao = world["secretary"], world["hung"], world["dao"]
    # Before publication (approved dossiers): the wording that will go public.
    services.save_citations(secretary, world["round"], [
        CitationEdit(hung.id, None, "Người tiên phong ghép thận tại tỉnh."),  # unchanged: nothing to log
        CitationEdit(dao.id, None, "Nhà giáo đổi mới phương pháp giảng dạy."),
    ])
    [before] = _citation_entries()
    assert (before.actor_id, before.entity_id, before.from_state) == (secretary.id, dao.id, states.APPROVED)
    assert before.reason == 'Sửa trích dẫn công bố: "" → "Nhà giáo đổi mới phương pháp giảng dạy.".'

    publish(world)
    with clock.frozen(clock.now() + timedelta(hours=1)):
        services.save_citations(secretary, world["round"], [CitationEdit(hung.id, None, "Trích dẫn bị sửa lén.")])
    after = _citation_entries()[-1]
    assert (after.actor_id, after.entity_id, after.to_state) == (secretary.id, hung.id, states.PUBLISHED)
    assert '"Người tiên phong ghép thận tại tỉnh." → "Trích dẫn bị sửa lén."' in after.reason
    assert after.at >= before.at
