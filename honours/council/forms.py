from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.widgets import CheckboxInput, ListWidget

from honours.core.forms import Form, VNDateField, max_length, required, required_input

from .services import MAX_DECISION_NUMBER, MAX_DECISION_SIGNER, ShortlistField

AGREE = "agree"
DISAGREE = "disagree"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AttendanceForm(Form):
    """Who is present: one checkbox per council member (used to open the session and to correct it)."""

    present = MultiCheckboxField(_l("Thành viên có mặt"), coerce=int,
                                 invalid_choice_message=_l("Người được chọn không thuộc hội đồng của đợt xét."))


class ActionForm(Form):
    """A bare button (close the vote, confirm the result): only the CSRF token."""


class DecisionForm(Form):
    decision_number = StringField(_l("Số quyết định"), validators=[required(), max_length(MAX_DECISION_NUMBER)])
    decision_date = VNDateField(_l("Ngày ký"), validators=[required_input()])
    decision_signer = StringField(_l("Người ký"), validators=[required(), max_length(MAX_DECISION_SIGNER)])


def choice_name(dossier_id: int) -> str:
    return f"dossier_{dossier_id}"


def ballot_form(fields: list[ShortlistField], **kwargs) -> Form:
    """One agree/disagree choice per shortlisted dossier; the fields are known only at request time."""

    class BallotForm(Form):
        pass

    for shortlisted in fields:
        for result in shortlisted.results:
            setattr(BallotForm, choice_name(result.dossier.id), RadioField(
                result.dossier.full_name, choices=[(AGREE, _l("Đồng ý")), (DISAGREE, _l("Không đồng ý"))],
                invalid_choice_message=_l("Vui lòng chọn Đồng ý hoặc Không đồng ý.")))
    return BallotForm(**kwargs)


def ballot_choices(form: Form, fields: list[ShortlistField]) -> dict[int, bool]:
    return {result.dossier.id: form[choice_name(result.dossier.id)].data == AGREE
            for shortlisted in fields for result in shortlisted.results}
