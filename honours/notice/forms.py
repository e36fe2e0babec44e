import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Email, ValidationError

from honours.core.forms import Form, max_length, number_range, optional, required, required_input
from honours.core.profile import CHOOSE

from .workflows import OPINION

PHONE = re.compile(r"^\+?[0-9][0-9 .\-]{7,18}[0-9]$")
MAX_CONTENT = 10_000


def email_or_phone(form, field) -> None:
    value = (field.data or "").strip()
    if "@" in value:
        Email(message=_l("Địa chỉ email không hợp lệ."), check_deliverability=False)(form, field)
    elif not PHONE.match(value):
        raise ValidationError(_l("Vui lòng nhập email hoặc số điện thoại hợp lệ."))


class OpinionForm(Form):
    sender_name = StringField(_l("Họ và tên người gửi"), validators=[required(), max_length(200)])
    contact = StringField(_l("Email hoặc số điện thoại liên hệ"), validators=[required(), max_length(254),
                                                                              email_or_phone])
    content = TextAreaField(_l("Nội dung ý kiến"), validators=[required(), max_length(MAX_CONTENT)])
    attachment = FileField(_l("Tệp kèm theo (không bắt buộc; PDF, JPEG, PNG)"))
    # Left empty by people (hidden from view and from screen readers); a robot filling every field fills it.
    website = StringField(_l("Trang web"), validators=[optional()])


class HandleForm(Form):
    action = SelectField(_l("Bước xử lý"), choices=[], validators=[required()])
    text = TextAreaField(_l("Nội dung (câu hỏi, trả lời hoặc kết luận và lý do)"),
                         validators=[optional(), max_length(MAX_CONTENT)])


ACTION_LABELS = {
    "verify": _l("Xác minh người gửi"),
    "ask_organisation": _l("Hỏi đơn vị đề cử (gửi email)"),
    "reply": _l("Trả lời người gửi"),
    "conclude_no_effect": _l("Kết luận: không ảnh hưởng đến danh sách"),
    "conclude_withdrawn": _l("Kết luận: rút người này khỏi danh sách"),
}


def handle_form(opinion, formdata=None) -> HandleForm:
    """The steps the opinion's state allows (the service checks again)."""
    form = HandleForm(formdata)
    form.action.choices = [CHOOSE] + [(action, str(label)) for action, label in ACTION_LABELS.items()
                                        if opinion.state in OPINION.transitions[action].sources]
    return form


class NoticeSettingsForm(Form):
    notice_days = IntegerField(_l("Số ngày công khai danh sách đề xuất (0: không công khai)"),
                               validators=[required_input(), number_range(0, 90)])
    complaint_days = IntegerField(_l("Số ngày nhận khiếu nại kể từ quyết định"),
                                  validators=[required_input(), number_range(1, 365)])
