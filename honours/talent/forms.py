from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField

from honours.core.forms import Form, VNDateField, max_length, optional, required, required_input
from honours.core.profile import ProfileForm
from honours.core.reference import ATTACHMENT_KINDS, AVAILABILITY, FIELDS

from .models import (
    CONTACTED,
    ENGAGED,
    KEEP,
    NEED_STATUS_LABELS,
    NOT_SUITABLE,
    OUTCOME_LABELS,
    POOL_STATUS_LABELS,
    REFERRAL_STATE_LABELS,
    RETIRE,
    REVIEW_DECISION_LABELS,
    UPDATE,
)

FIELD_CHOICES = [(f, f) for f in FIELDS]


class ReferralForm(ProfileForm):
    version = HiddenField()
    consent_national_db = BooleanField(_l("Người được tiến cử đồng ý đưa thông tin liên hệ vào Hệ thống cơ sở dữ "
                                          "liệu quốc gia về trí thức"))
    field = SelectField(_l("Lĩnh vực"), choices=[("", _l("— Chọn lĩnh vực —")), *FIELD_CHOICES],
                        validators=[required()])
    expertise_keywords = TextAreaField(_l("Từ khoá chuyên môn"), validators=[optional(), max_length(2000)])
    proposed_role = StringField(_l("Vị trí, nhiệm vụ đề xuất"), validators=[optional(), max_length(500)])
    availability = SelectField(_l("Khả năng tham gia"), choices=list(AVAILABILITY.items()), default="part_time")
    justification = TextAreaField(_l("Lý do tiến cử"), validators=[optional(), max_length(20000)])

    def to_data(self):
        from .referrals import REFERRAL_FIELDS, ReferralData

        return ReferralData(**self.values(REFERRAL_FIELDS))


class AttachmentForm(Form):
    kind = SelectField(_l("Loại tệp"), choices=[(k, v) for k, v in ATTACHMENT_KINDS.items() if k != "photo"])
    file = FileField(_l("Tệp (PDF, JPEG, PNG)"))


class ScreeningForm(Form):
    version = HiddenField()
    decision = SelectField(_l("Kết luận sàng lọc"), choices=[
        ("accept", _l("Tiếp nhận vào nguồn nhân tài")), ("decline", _l("Không tiếp nhận")),
    ])
    reason = TextAreaField(_l("Lý do (bắt buộc khi không tiếp nhận)"), validators=[optional(), max_length(5000)])


class ReviewForm(Form):
    """Periodic screening. The entry's current values are filled in; they only matter for "update"."""

    version = HiddenField()
    decision = SelectField(_l("Kết luận"), choices=[(k, REVIEW_DECISION_LABELS[k]) for k in (KEEP, UPDATE, RETIRE)])
    next_review_on = VNDateField(_l("Sàng lọc lần sau"), validators=[optional()])
    field = SelectField(_l("Lĩnh vực"), choices=FIELD_CHOICES)
    expertise_keywords = TextAreaField(_l("Từ khoá chuyên môn"), validators=[optional(), max_length(2000)])
    proposed_role = StringField(_l("Vị trí, nhiệm vụ đề xuất"), validators=[optional(), max_length(500)])
    availability = SelectField(_l("Khả năng tham gia"), choices=list(AVAILABILITY.items()))
    notes = TextAreaField(_l("Ghi chú về người này"), validators=[optional(), max_length(5000)])
    note = TextAreaField(_l("Nhận xét lần sàng lọc (bắt buộc khi rút khỏi nguồn)"),
                         validators=[optional(), max_length(5000)])

    def to_data(self):
        from .pool import ReviewData

        return ReviewData(decision=self.decision.data, note=self.note.data or "",
                          next_review_on=self.next_review_on.data, field=self.field.data,
                          expertise_keywords=self.expertise_keywords.data or "",
                          proposed_role=self.proposed_role.data or "", availability=self.availability.data,
                          notes=self.notes.data or "")


class NeedForm(Form):
    version = HiddenField()
    title = StringField(_l("Tên nhu cầu, nhiệm vụ"), validators=[required(), max_length(300)])
    field = SelectField(_l("Lĩnh vực"), choices=[("", _l("— Chọn lĩnh vực —")), *FIELD_CHOICES],
                        validators=[required()])
    expertise_keywords = TextAreaField(_l("Từ khoá chuyên môn cần có"), validators=[optional(), max_length(2000)])
    description = TextAreaField(_l("Mô tả nhiệm vụ"), validators=[optional(), max_length(20000)])
    deadline = VNDateField(_l("Thời hạn"), validators=[required_input()])

    def to_data(self):
        from .needs import NeedData

        return NeedData(title=self.title.data or "", field=self.field.data or "", deadline=self.deadline.data,
                        expertise_keywords=self.expertise_keywords.data or "",
                        description=self.description.data or "")


class ProposeForm(Form):
    pool_entry_id = IntegerField(validators=[required_input()])


class OutcomeForm(Form):
    version = HiddenField()
    # No outcome preselected: the first option asks for one.
    outcome = SelectField(_l("Kết quả"), validators=[required()],
                          choices=[("", _l("— Chọn kết quả —"))] + [(k, OUTCOME_LABELS[k])
                                                                   for k in (CONTACTED, ENGAGED, NOT_SUITABLE)])
    note = TextAreaField(_l("Ghi chú (bắt buộc khi không phù hợp)"), validators=[optional(), max_length(5000)])


class _SearchForm(Form):
    class Meta:
        csrf = False  # GET filters


class ReferralFilterForm(_SearchForm):
    q = StringField(_l("Tìm theo tên"), validators=[optional(), max_length(200)])
    state = SelectField(_l("Trạng thái"), choices=[("", _l("Tất cả trạng thái")), *REFERRAL_STATE_LABELS.items()],
                        validators=[optional()])
    field = SelectField(_l("Lĩnh vực"), choices=[("", _l("Tất cả lĩnh vực")), *FIELD_CHOICES], validators=[optional()])


class PoolFilterForm(_SearchForm):
    q = StringField(_l("Tìm theo tên"), validators=[optional(), max_length(200)])
    field = SelectField(_l("Lĩnh vực"), choices=[("", _l("Tất cả lĩnh vực")), *FIELD_CHOICES], validators=[optional()])
    status = SelectField(_l("Tình trạng"), choices=[*POOL_STATUS_LABELS.items(), ("all", _l("Tất cả"))],
                         validators=[optional()])


class NeedFilterForm(_SearchForm):
    status = SelectField(_l("Tình trạng"), choices=[("", _l("Tất cả")), *NEED_STATUS_LABELS.items()],
                         validators=[optional()])
