"""Form building blocks with Vietnamese messages and dd/mm/yyyy dates."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, DateTimeField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"


def required():
    return DataRequired(message=_l("Vui lòng nhập thông tin này."))


def required_input():
    """For typed values (dates, numbers): unlike DataRequired it keeps the "invalid format" message."""
    return InputRequired(message=_l("Vui lòng nhập thông tin này."))


def max_length(n: int):
    return Length(max=n, message=_l("Tối đa %(max)d ký tự.", max=n))


def email_address():
    return Email(message=_l("Địa chỉ email không hợp lệ."), check_deliverability=False)


def number_range(minimum=None, maximum=None):
    return NumberRange(min=minimum, max=maximum, message=_l("Giá trị ngoài khoảng cho phép."))


def optional():
    return Optional()


class VNDateField(DateField):
    """dd/mm/yyyy typed in a text box (the browser's date picker would impose its own format)."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", DATE_FORMAT)
        kwargs.setdefault("render_kw", {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Ngày không hợp lệ, vui lòng nhập theo dạng dd/mm/yyyy.")) from None


class VNDateTimeField(DateTimeField):
    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", DATETIME_FORMAT)
        kwargs.setdefault("render_kw", {"placeholder": "dd/mm/yyyy hh:mm"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Thời điểm không hợp lệ, vui lòng nhập theo dạng dd/mm/yyyy hh:mm.")) from None
