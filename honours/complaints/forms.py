from flask_babel import lazy_gettext as _l
from wtforms import EmailField, SelectField, TextAreaField

from honours.core.forms import Form, email_address, max_length, optional, required
from honours.core.profile import CHOOSE

from .services import MAX_CONTENT
from .workflows import COMPLAINT


class ComplaintForm(Form):
    content = TextAreaField(_l("Nội dung khiếu nại (quyết định bị khiếu nại, lý do, đề nghị)"),
                            validators=[required(), max_length(MAX_CONTENT)])


class LinkRequestForm(Form):
    email = EmailField(_l("Email của bạn (như trong hồ sơ đề cử)"),
                       validators=[required(), email_address(), max_length(254)])


ACTION_LABELS = {
    "accept": _l("Thụ lý"),
    "refuse": _l("Không thụ lý (nêu lý do)"),
    "mark_complex": _l("Xác định vụ việc phức tạp (thời hạn dài hơn)"),
    "resolve": _l("Ghi nhận kết quả giải quyết"),
}


class HandleForm(Form):
    action = SelectField(_l("Bước xử lý"), choices=[], validators=[required()])
    text = TextAreaField(_l("Nội dung (lý do hoặc kết quả giải quyết)"),
                         validators=[optional(), max_length(MAX_CONTENT)])


def handle_form(complaint, formdata=None) -> HandleForm:
    form = HandleForm(formdata)
    form.action.choices = [CHOOSE] + [(action, str(label)) for action, label in ACTION_LABELS.items()
                                        if complaint.state in COMPLAINT.transitions[action].sources]
    return form
