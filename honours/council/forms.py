from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from honours.core.forms import Form, VNDateField, max_length, required, required_input, small_int

from .services import MAX_DECISION_NUMBER, MAX_DECISION_SIGNER, MAX_SECRETARY_NAME, ShortlistField

AGREE = "agree"
DISAGREE = "disagree"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AttendanceForm(Form):
    """Who is present: one checkbox per council member (used to open the session and to correct it)."""

    present = MultiCheckboxField(_l("Thành viên có mặt"), coerce=int,
                                 invalid_choice_message=_l("Người được chọn không thuộc hội đồng của đợt xét."))


def _id_or_none(value) -> int | None:
    return small_int(value)


def counting_board_form(session, posted: bool = False) -> "CountingBoardForm":
    """Bound to the request when submitted, else showing what is recorded; the choices are the members present."""
    if posted:
        form = CountingBoardForm()
    else:
        board = [m.user_id for m in session.counting_board]
        form = CountingBoardForm(formdata=None, secretary_name=session.secretary_name,
                                 counting_head=board[0] if board else None, counting_members=board[1:])
    present = sorted(((a.user_id, a.user.full_name) for a in session.attendees), key=lambda p: p[1])
    form.counting_head.choices = [("", _l("— Chọn thành viên —"))] + present
    form.counting_members.choices = present
    return form


class CountingBoardForm(Form):
    """The session's secretary and the vote-counting board the council elected among the members present."""

    secretary_name = StringField(_l("Thư ký phiên họp"), validators=[required(), max_length(MAX_SECRETARY_NAME)])
    counting_head = SelectField(_l("Trưởng ban kiểm phiếu"), coerce=_id_or_none,
                                validators=[DataRequired(message=_l("Vui lòng chọn trưởng ban kiểm phiếu."))],
                                invalid_choice_message=_l("Vui lòng chọn một thành viên có mặt."))
    counting_members = MultiCheckboxField(_l("Thành viên ban kiểm phiếu"), coerce=int,
                                          invalid_choice_message=_l("Vui lòng chọn thành viên có mặt."))

    def member_ids(self) -> list[int]:
        head = self.counting_head.data
        return [head] + [i for i in (self.counting_members.data or []) if i != head]


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
