from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired

from honours.core.forms import Form, max_length, required

from .purposes import PURPOSES

AGREE, DISAGREE = "yes", "no"

def choice_name(code: str) -> str:
    return f"purpose_{code}"

def consent_form(**kwargs) -> Form:
    """One "Đồng ý" / "Không đồng ý" choice per purpose, nothing chosen, every time: the person's own answer (a
    re-sent link says beside each purpose what is in force, and chooses nothing for them either)."""

    class ConsentForm(Form):
        pass

    for purpose in PURPOSES:
        setattr(ConsentForm, choice_name(purpose.code), RadioField(
            purpose.text, choices=[(AGREE, _l("Đồng ý")), (DISAGREE, _l("Không đồng ý"))],
            validators=[DataRequired(message=_l("Vui lòng chọn Đồng ý hoặc Không đồng ý."))],
            invalid_choice_message=_l("Vui lòng chọn Đồng ý hoặc Không đồng ý.")))
    form = ConsentForm(**kwargs)
    for purpose in PURPOSES:
        field = form[choice_name(purpose.code)]
        field.label.text = purpose.shown
    return form

def answers(form) -> dict[str, bool | None]:
    values = {}
    for purpose in PURPOSES:
        data = form[choice_name(purpose.code)].data
        values[purpose.code] = None if data not in (AGREE, DISAGREE) else data == AGREE
    return values

class ScanForm(Form):
    scan = FileField(_l("Bản quét phiếu đồng ý đã ký (PDF, JPEG hoặc PNG)"))

class RejectScanForm(Form):
    reason = TextAreaField(_l("Lý do không chấp nhận bản quét (gửi vào nhật ký)"),
                           validators=[required(), max_length(2000)])

class AskForm(Form):
    """The button that (re)sends the link; CSRF only."""

    next = HiddenField()
