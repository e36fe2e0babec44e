from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired

from honours.core.forms import Form, RowForm, VNDateTimeField, max_length, number_range, optional
from honours.core.profile import ProfileForm
from honours.core.reference import ACHIEVEMENT_KINDS, ATTACHMENT_KINDS


def _id_or_none(value):
    """An id chosen in a select; the empty first option ("— Chọn —") gives None, which `DataRequired` refuses."""
    return None if value in ("", None) else int(value)


class AchievementForm(RowForm):
    kind = SelectField(_l("Loại"), choices=list(ACHIEVEMENT_KINDS.items()))
    year = IntegerField(_l("Năm"), validators=[optional(), number_range(1900, 2100)])
    title = StringField(_l("Tên thành tích"), validators=[optional(), max_length(500)])
    details = TextAreaField(_l("Chi tiết, minh chứng"), validators=[optional(), max_length(5000)])
    remove = BooleanField(_l("Bỏ dòng này"))


class DossierForm(ProfileForm):
    """The field starts empty and must be chosen, like gender and ethnicity (core/profile.py)."""

    version = HiddenField()
    field_id = SelectField(_l("Lĩnh vực"), coerce=_id_or_none,
                           validators=[DataRequired(message=_l("Vui lòng chọn lĩnh vực."))])
    years_in_province = IntegerField(_l("Số năm sinh sống, công tác tại tỉnh"),
                                     validators=[optional(), number_range(0, 100)])
    merits_summary = TextAreaField(_l("Tóm tắt thành tích, đóng góp"), validators=[optional(), max_length(20000)])
    achievements = FieldList(FormField(AchievementForm), min_entries=0, max_entries=100)

    def validate_achievements(self, field):
        """A kept row needs both a title and a year; empty rows are ignored."""
        problems = False
        for row in field:
            entry = row.form
            if entry.remove.data or not ((entry.title.data or "").strip() or entry.year.data):
                continue
            if not (entry.title.data or "").strip():
                entry.title.errors.append(_l("Vui lòng nhập tên thành tích."))
                problems = True
            if not entry.year.data:
                entry.year.errors.append(_l("Vui lòng nhập năm."))
                problems = True
        if problems:
            raise ValidationError(_l("Vui lòng hoàn thiện các dòng thành tích."))

    def to_data(self):
        from .services import NOMINEE_FIELDS, OPTIONAL_NOMINEE_FIELDS, AchievementData, DossierData

        achievements = [
            AchievementData(kind=row.form.kind.data, year=row.form.year.data, title=row.form.title.data.strip(),
                            details=row.form.details.data or "")
            for row in self.achievements
            if not row.form.remove.data and (row.form.title.data or "").strip()
        ]
        values = self.values(("field_id", *NOMINEE_FIELDS, *OPTIONAL_NOMINEE_FIELDS),
                             keep_none=("date_of_birth", "field_id", "years_in_province"))
        return DossierData(**values, achievements=achievements)


class AttachmentForm(Form):
    kind = SelectField(_l("Loại tệp"), choices=list(ATTACHMENT_KINDS.items()))
    file = FileField(_l("Tệp (PDF, JPEG, PNG)"))
    # After a return: the submitted file this upload supersedes (the service checks the id).
    replaces = SelectField(_l("Thay thế tệp đã nộp"), validate_choice=False)


def attachment_form(dossier) -> AttachmentForm:
    form = AttachmentForm()
    form.replaces.choices = [("", _l("Không thay thế (thêm tệp mới)"))] + [
        (str(a.id), a.download_name) for a in dossier.current_attachments if a.is_locked]
    return form


class WithdrawForm(Form):
    """The organisation withdraws a submitted dossier (a confirmation page follows); the reason is optional."""

    version = HiddenField()
    withdraw_reason = TextAreaField(_l("Lý do rút hồ sơ (không bắt buộc)"),
                                    validators=[optional(), max_length(2000)])


class DecisionForm(Form):
    """The secretariat's eligibility decision on the dossier page. No decision is preselected: the secretariat
    chooses one (and confirms it on the next page)."""

    version = HiddenField()
    action = SelectField(
        _l("Kết luận"),
        choices=[
            ("", _l("— Chọn kết luận —")),
            ("mark_eligible", _l("Hợp lệ")),
            ("return", _l("Yêu cầu bổ sung")),
            ("mark_ineligible", _l("Không hợp lệ")),
        ],
        default="",
        validators=[DataRequired(message=_l("Vui lòng chọn kết luận thẩm định."))],
    )
    reason = TextAreaField(_l("Lý do (bắt buộc khi yêu cầu bổ sung hoặc không hợp lệ)"),
                           validators=[optional(), max_length(5000)])
    supplement_deadline = VNDateTimeField(_l("Hạn nộp bổ sung"), validators=[optional()])
    # The inbox list the dossier was opened from (its path and query string): the filters are kept and the next
    # dossier of that list opens after the decision. The view accepts only the inbox's own path.
    next = HiddenField(default=lambda: request.args.get("next", "")[:2000])
