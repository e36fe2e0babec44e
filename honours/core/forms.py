"""Form building blocks with Vietnamese messages and dd/mm/yyyy dates."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeField, FieldList, FormField, HiddenField
from wtforms import Form as PlainForm
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from honours.core.concurrency import NO_VERSION

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


class _FiniteNumberRange(NumberRange):
    """NumberRange that refuses NaN and infinities cleanly: WTForms' own calls math.isnan(), which raises on a
    signalling NaN (a DecimalField given "sNaN" used to crash the request), and on an integer too large for a
    float (an IntegerField given 400 digits)."""

    def __call__(self, form, field):
        if isinstance(field.data, Decimal) and not field.data.is_finite():
            raise ValidationError(self.message)
        if isinstance(field.data, int) and not isinstance(field.data, bool):
            low, high = self._resolve(self.min), self._resolve(self.max)
            if (low is not None and field.data < low) or (high is not None and field.data > high):
                raise ValidationError(self.message)
            return
        super().__call__(form, field)


def number_range(minimum=None, maximum=None):
    return _FiniteNumberRange(min=minimum, max=maximum, message=_l("Giá trị ngoài khoảng cho phép."))


def optional():
    return Optional()


class _FormatHint:
    """Text inputs with a fixed format; an unparsable value gets a message that says the format."""

    widget = TextInput()
    format_error = None

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.format_error) from None


class VNDateField(_FormatHint, DateField):
    """dd/mm/yyyy typed in a text box (the browser's date picker would impose its own format)."""

    format_error = _l("Ngày không hợp lệ, vui lòng nhập theo dạng dd/mm/yyyy.")

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", DATE_FORMAT)
        kwargs.setdefault("render_kw", {"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
        super().__init__(label, validators, **kwargs)


class VNDateTimeField(_FormatHint, DateTimeField):
    format_error = _l("Thời điểm không hợp lệ, vui lòng nhập theo dạng dd/mm/yyyy hh:mm.")

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", DATETIME_FORMAT)
        kwargs.setdefault("render_kw", {"placeholder": "dd/mm/yyyy hh:mm"})
        super().__init__(label, validators, **kwargs)


def small_int(value) -> int | None:
    """An id or version from a hidden field, or None: ASCII digits only and short enough for a database integer
    (str.isdigit() accepts "²", and int() refuses a string of more than 4300 digits: both used to crash)."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def form_version(value) -> int:
    """A version from a hidden field, for optimistic locking: NO_VERSION (always stale) when it is missing, empty or
    garbled, so deleting the field cannot skip the check."""
    version = small_int(value)
    return NO_VERSION if version is None else version


def posted_version(field) -> int:
    """The version a hidden field came back with. Its raw posted value, not `field.data`: a form built with
    `obj=record` would fill a removed field with the record's current version, passing the check."""
    posted = field.raw_data or []
    return form_version(posted[0] if posted else None)


def submitted_version(form) -> int:
    """The version a form was rendered with (its hidden `version` field), for optimistic locking."""
    return posted_version(form.version)


# WTForms ships no Vietnamese catalogue: its built-in messages go through ours instead (and from there to
# English when the user chose English). Messages our own validators replace are not listed.
WTFORMS_MESSAGES = {
    "This field is required.": _l("Vui lòng nhập thông tin này."),
    "Invalid input.": _l("Giá trị không hợp lệ."),
    "Invalid email address.": _l("Địa chỉ email không hợp lệ."),
    "Not a valid choice.": _l("Giá trị được chọn không hợp lệ."),
    "Invalid Choice: could not coerce.": _l("Giá trị được chọn không hợp lệ."),
    "Not a valid integer value.": _l("Vui lòng nhập một số nguyên."),
    "Not a valid decimal value.": _l("Vui lòng nhập một số (dùng dấu chấm cho phần thập phân)."),
    "Not a valid float value.": _l("Vui lòng nhập một số (dùng dấu chấm cho phần thập phân)."),
    "Not a valid date value.": _l("Ngày không hợp lệ, vui lòng nhập theo dạng dd/mm/yyyy."),
    "Not a valid datetime value.": _l("Thời điểm không hợp lệ, vui lòng nhập theo dạng dd/mm/yyyy hh:mm."),
    "Invalid CSRF Token.": _l("Biểu mẫu đã hết hạn, vui lòng tải lại trang và thử lại."),
    "CSRF token missing.": _l("Biểu mẫu đã hết hạn, vui lòng tải lại trang và thử lại."),
    "CSRF failed.": _l("Biểu mẫu đã hết hạn, vui lòng tải lại trang và thử lại."),
    "CSRF token expired.": _l("Biểu mẫu đã hết hạn, vui lòng tải lại trang và thử lại."),
}


class _Messages:
    def gettext(self, string):
        return str(WTFORMS_MESSAGES.get(string, string))

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)


def _drop_nul(value):
    """NUL never comes from a keyboard, and PostgreSQL refuses it in text (a crash, where SQLite stored it)."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class _TranslatedMeta:
    def get_translations(self, form):
        return _Messages()

    def bind_field(self, form, unbound_field, options):
        if not issubclass(unbound_field.field_class, (FormField, FieldList)):  # they refuse filters
            options = {**options, "filters": [*unbound_field.kwargs.get("filters", ()), _drop_nul]}
        return super().bind_field(form, unbound_field, options)

    def render_field(self, field, render_kw):
        """Hidden inputs (the CSRF token, the version) render without an id: no label points at them, and a page
        with many forms would repeat the same id once per form (invalid HTML)."""
        if field.type in HIDDEN_FIELD_TYPES and "id" not in render_kw:
            render_kw = {**render_kw, "id": False}
        elif field.type == "SelectField" and field.flags.required and "required" not in render_kw \
                and str(next(iter(field.iter_choices()), ("",))[0]) != "":
            # HTML's `required` on a <select> needs an empty first option ("choose one" with value ""); where the
            # first option is a real value or a placeholder the server reads (0), the server's check stays and
            # assistive technology is told through aria-required instead.
            render_kw = {**render_kw, "required": False, "aria-required": "true"}
        return super().render_field(field, render_kw)


class Form(FlaskForm):
    """Base of every page form: CSRF from Flask-WTF, messages in the user's language."""

    class Meta(_TranslatedMeta):
        pass


def with_id_prefix(form, prefix: str):
    """One of several forms of the same kind on a page: its fields get ids of their own (labels, error links and
    aria-describedby follow); their names, what the server reads, stay the same."""
    for field in form:
        field.id = f"{prefix}{field.id}"
        field.label.field_id = field.id
    return form


class RowForm(PlainForm):
    """Base of repeated row sub-forms (FieldList of FormField): no CSRF of their own, same messages."""

    class Meta(_TranslatedMeta):
        pass


class VersionForm(Form):
    """Submit / delete buttons: CSRF plus the version the user was looking at."""

    version = HiddenField()


# ---------------------------------------------------------------- the error summary at the top of a page

HIDDEN_FIELD_TYPES = frozenset({"HiddenField", "CSRFTokenField"})


def error_entries(form, prefix: str = "") -> list[tuple[str | None, str]]:
    """(field id, "Label: message") for every error of `form`, nested rows (FieldList of FormField) included, in
    the order the fields appear. A hidden field's error (a stale version, an expired CSRF token) has no field to
    link to: its id is None."""
    entries = []
    for field in form:
        entries.extend(_field_entries(field, prefix))
    return entries


def _field_entries(field, prefix: str) -> list[tuple[str | None, str]]:
    if isinstance(field, FieldList):
        # A list left without a label of its own is named by WTForms from the attribute ("Achievements").
        named = field.label.text if field.label.text != field.short_name.replace("_", " ").title() else _l("Dòng")
        label = f"{prefix}{named}"
        entries = []
        for number, entry in enumerate(field.entries, start=1):
            entries.extend(error_entries(entry.form, f"{label} {number} – ") if isinstance(entry, FormField)
                           else _field_entries(entry, f"{label} {number} – "))
        first = next((target for target, _text in _visible_ids(field)), None)
        own = [(first, f"{label}: {error}") for error in field.errors if _is_message(error)]
        return own + entries
    if isinstance(field, FormField):
        return error_entries(field.form, f"{prefix}{field.label.text} – ")
    if field.type in HIDDEN_FIELD_TYPES:
        return [(None, str(error)) for error in field.errors if _is_message(error)]
    label = f"{prefix}{field.label.text}"
    return [(field.id, f"{label}: {error}") for error in field.errors if _is_message(error)]


def _is_message(error) -> bool:
    """A message (a str or a lazy one), not the nested errors a list or a sub-form reports."""
    return not isinstance(error, dict | list | tuple)


def _visible_ids(field):
    """(id, None) of the visible fields inside a list of rows, in order: where the list's own message links."""
    for entry in field.entries:
        inner = entry.form if isinstance(entry, FormField) else [entry]
        for sub in inner:
            if sub.type not in HIDDEN_FIELD_TYPES and not isinstance(sub, FieldList | FormField):
                yield sub.id, None


def forms_with_errors(context) -> list:
    """The forms of the page being rendered that have errors (also inside a tuple, list or dict the view passed),
    for base.html's error summary: every page gets it at the top without each template calling it."""
    found, seen = [], set()

    def visit(value, depth=0):
        if isinstance(value, PlainForm | FlaskForm):
            if id(value) not in seen and value.errors:
                seen.add(id(value))
                found.append(value)
        elif depth < 2 and isinstance(value, list | tuple):
            for item in value:
                visit(item, depth + 1)
        elif depth < 2 and isinstance(value, dict):
            for item in value.values():
                visit(item, depth + 1)

    for value in context.get_all().values():
        visit(value)
    return found
