"""The handling of a public opinion on the noticed list: verified, the nominating organisation asked, the sender
answered, then concluded (no effect, or the candidate withdrawn from the list). Every step is audited."""
from flask_babel import lazy_gettext as _l

from honours.core import roles
from honours.core.workflow import Transition, Workflow

RECEIVED = "received"
VERIFIED = "verified"
ASKED = "asked"          # the nominating organisation was asked to explain
REPLIED = "replied"      # the secretariat answered the sender
NO_EFFECT = "no_effect"
WITHDRAWN = "withdrawn"  # the candidate was taken off the proposed list
OPEN = (RECEIVED, VERIFIED, ASKED, REPLIED)
FINAL = (NO_EFFECT, WITHDRAWN)
HANDLERS = (roles.SECRETARIAT,)

OPINION = Workflow("notice_opinion", {
    RECEIVED: _l("Mới nhận"),
    VERIFIED: _l("Đã xác minh người gửi"),
    ASKED: _l("Đã hỏi đơn vị đề cử"),
    REPLIED: _l("Đã trả lời người gửi"),
    NO_EFFECT: _l("Kết luận: không ảnh hưởng"),
    WITHDRAWN: _l("Kết luận: rút khỏi danh sách"),
}, (
    Transition("verify", (RECEIVED,), VERIFIED, HANDLERS),
    Transition("ask_organisation", (VERIFIED, ASKED, REPLIED), ASKED, HANDLERS, needs_reason=True),
    Transition("reply", (VERIFIED, ASKED, REPLIED), REPLIED, HANDLERS, needs_reason=True),
    Transition("conclude_no_effect", OPEN, NO_EFFECT, HANDLERS, needs_reason=True),
    Transition("conclude_withdrawn", (VERIFIED, ASKED, REPLIED), WITHDRAWN, HANDLERS, needs_reason=True),
))
ACTIONS = ("verify", "ask_organisation", "reply", "conclude_no_effect", "conclude_withdrawn")
