"""The audit log in words: one registry of what every entity type, action and state the log can hold is called.

Workflow states are labelled by their Workflow (each registers its states here as it is built); what is recorded
outside a workflow (accounts, security policy, a round's publication) is labelled here. An action code may mean
different things on different objects ("close" a council vote, "close" a talent need): ENTITY_ACTIONS names those.
tests/core/test_audit_labels.py fails when an action, entity type or state the code base can record has no label.
"""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from honours.core.roles import ROLE_LABELS


def N_(message: str) -> str:
    """Marks a message for extraction without translating it here (pybabel's default keyword)."""
    return message


ENTITIES = {
    "dossier": _l("Hồ sơ đề cử"),
    "score_sheet": _l("Phiếu chấm điểm"),
    "round": _l("Đợt xét"),
    "council_session": _l("Phiên họp hội đồng"),
    "referral": _l("Phiếu tiến cử"),
    "talent_pool_entry": _l("Nguồn nhân tài"),
    "talent_need": _l("Nhu cầu, đặt hàng"),
    "talent_match": _l("Đề xuất người cho nhu cầu"),
    "person": _l("Trí thức, chuyên gia"),
    "person_change": _l("Đề xuất thay đổi thông tin trí thức"),
    "user": _l("Tài khoản"),
    "login": _l("Đăng nhập"),
    "security_policy": _l("Chính sách bảo mật"),
    "audit_log": _l("Nhật ký"),
    "organisation": _l("Đơn vị"),
    "account_import": _l("Nhập tài khoản từ Excel"),
    "person_intake": _l("Nhập danh sách trí thức từ Excel"),
    "outbox_message": _l("Email gửi đi"),
    "retention": _l("Thời hạn lưu trữ dữ liệu"),
    "incident": _l("Sự cố dữ liệu cá nhân"),
    "data_request": _l("Yêu cầu về dữ liệu cá nhân"),
    "clarification": _l("Đề nghị làm rõ"),
    "job": _l("Công việc chạy nền"),
    "consent_request": _l("Ý kiến đồng ý của người được đề cử"),
    "notice_opinion": _l("Ý kiến về danh sách công khai"),
    "complaint": _l("Khiếu nại"),
    "certificate": _l("Giấy chứng nhận"),
}

ACTIONS = {
    # dossier
    "submit": _l("Nộp"),
    "resubmit": _l("Nộp bổ sung"),
    "return": _l("Yêu cầu bổ sung"),
    "mark_eligible": _l("Thẩm định: hợp lệ"),
    "mark_ineligible": _l("Thẩm định: không hợp lệ"),
    "start_review": _l("Bắt đầu chấm điểm"),
    "complete_review": _l("Chấm điểm xong"),
    "reopen_review": _l("Chấm điểm lại"),
    "reopen_check": _l("Đưa trở lại thẩm định"),
    "withdraw": _l("Rút hồ sơ"),
    "approve": _l("Hội đồng thông qua"),
    "reject": _l("Từ chối"),
    "publish": _l("Công bố"),
    "replace_attachment": _l("Thay tệp đính kèm"),
    "override_rule": _l("Chấp nhận dù không đạt điều kiện"),
    "claim_standards": _l("Nêu tiêu chuẩn thành tích"),
    "appraise_standard": _l("Thẩm định tiêu chuẩn"),
    "ask_clarification": _l("Đề nghị làm rõ"),
    "update_selection": _l("Sửa phương thức xét chọn"),
    "answer": _l("Trả lời"),
    "edit_citation": _l("Sửa trích dẫn công bố"),
    "set_publication_photo": _l("Tải lên ảnh công bố"),
    "add_document": _l("Đính kèm tài liệu của đợt xét"),
    "delete_document": _l("Xoá tài liệu của đợt xét"),
    "assign_reviewer": _l("Phân công người chấm"),
    "unassign_reviewer": _l("Gỡ người chấm"),
    "declare_conflict": _l("Khai báo xung đột lợi ích"),
    # score sheet
    "submit_sheet": _l("Nộp phiếu chấm điểm"),
    "reopen_sheet": _l("Mở lại phiếu chấm điểm"),
    # council session
    "open": _l("Mở phiên họp"),
    "open_early": _l("Mở phiên họp trước thời hạn"),
    "attendance": _l("Sửa danh sách có mặt"),
    "counting_board": _l("Ghi nhận thư ký và ban kiểm phiếu"),
    "close": _l("Đóng"),
    "confirm": _l("Chủ tịch xác nhận kết quả"),
    "decision": _l("Ghi nhận quyết định tặng danh hiệu"),
    # round
    "create": _l("Tạo mới"),
    "update": _l("Sửa thông tin"),
    "import_dossiers": _l("Nhập hồ sơ nháp từ Excel"),
    "export_results": _l("Xuất kết quả chấm điểm"),
    "send_reminders": _l("Gửi email nhắc chấm điểm"),
    "council_member_added": _l("Thêm thành viên hội đồng"),
    "council_member_changed": _l("Sửa thông tin thành viên hội đồng"),
    "council_member_removed": _l("Bỏ thành viên khỏi hội đồng"),
    # talent
    "accept": _l("Chấp nhận"),
    "decline": _l("Không tiếp nhận"),
    "add": _l("Đưa vào nguồn nhân tài"),
    "merge": _l("Gộp"),
    "reactivate": _l("Đưa trở lại nguồn nhân tài"),
    "review_keep": _l("Sàng lọc định kỳ: giữ nguyên"),
    "review_update": _l("Sàng lọc định kỳ: cập nhật"),
    "review_retire": _l("Sàng lọc định kỳ: rút khỏi nguồn"),
    "merge_duplicate": _l("Gộp hồ sơ trùng"),
    "post": _l("Đăng nhu cầu"),
    "edit": _l("Sửa"),
    "propose": _l("Đề xuất người"),
    "outcome": _l("Ghi nhận kết quả liên hệ"),
    # people
    "supersede": _l("Thay bằng đề xuất mới"),
    "accept_change": _l("Chấp nhận đề xuất thay đổi"),
    "merged_into": _l("Gộp vào hồ sơ khác"),
    "national_export": _l("Xuất dữ liệu lên cơ sở dữ liệu quốc gia"),
    "intake_people": _l("Nhập danh sách trí thức"),
    # consent
    "send_consent_link": _l("Gửi liên kết xin ý kiến đồng ý"),
    "change_answer": _l("Người được đề cử thay đổi ý kiến"),
    "withdraw_consent": _l("Rút lại đồng ý"),
    "upload_scan": _l("Tải lên phiếu đồng ý bản giấy"),
    "confirm_paper": _l("Xác nhận phiếu đồng ý bản giấy"),
    "reject_scan": _l("Không chấp nhận bản quét phiếu đồng ý"),
    # accounts and security
    "accept_invitation": _l("Nhận lời mời, đặt mật khẩu"),
    "resend_invitation": _l("Gửi lại lời mời"),
    "password_change": _l("Đổi mật khẩu"),
    "password_reset_request": _l("Yêu cầu đặt lại mật khẩu"),
    "password_reset": _l("Đặt lại mật khẩu"),
    "lock": _l("Khoá tài khoản"),
    "unlock": _l("Mở khoá tài khoản"),
    "logout_everywhere": _l("Đăng xuất khỏi mọi thiết bị"),
    "login_failure": _l("Đăng nhập sai"),
    "login_throttled": _l("Tạm chặn đăng nhập"),
    "totp_enable": _l("Bật xác thực hai bước"),
    "totp_disable": _l("Tắt xác thực hai bước"),
    "totp_reset": _l("Đặt lại xác thực hai bước"),
    "totp_recovery_code_used": _l("Dùng mã khôi phục"),
    "totp_recovery_codes_new": _l("Tạo mã khôi phục mới"),
    "require_totp": _l("Bắt buộc xác thực hai bước"),
    "relax_totp": _l("Bỏ bắt buộc xác thực hai bước"),
    "import_accounts": _l("Nhập tài khoản từ Excel"),
    "export": _l("Xuất CSV"),
    "retention_run": _l("Xoá dữ liệu hết thời hạn lưu trữ"),
    # data-subject requests
    "link_sent": _l("Gửi liên kết xem dữ liệu cá nhân"),
    "add_action": _l("Ghi việc đã làm"),
    "refuse": _l("Từ chối yêu cầu"),
    "erase": _l("Xoá (ẩn danh) dữ liệu cá nhân theo yêu cầu"),
    # public notice of the proposed list, opinions, complaints
    "open_notice": _l("Mở thời gian công khai danh sách đề xuất"),
    "notice_settings": _l("Cài đặt thời gian công khai và khiếu nại"),
    "withdraw_from_list": _l("Rút khỏi danh sách đề xuất"),
    "receive": _l("Tiếp nhận"),
    "verify": _l("Xác minh"),
    "ask_organisation": _l("Hỏi đơn vị đề cử"),
    "reply": _l("Trả lời người gửi ý kiến"),
    "conclude_no_effect": _l("Kết luận: không ảnh hưởng"),
    "conclude_withdrawn": _l("Kết luận: rút khỏi danh sách"),
    "lodge": _l("Gửi khiếu nại"),
    "mark_complex": _l("Xác định vụ việc phức tạp"),
    "resolve": _l("Giải quyết"),
    # outbox (not audited today; named so a future entry reads in words)
    "claim": _l("Nhận gửi"),
    "deliver": _l("Đã gửi"),
    "retry_later": _l("Gửi lại sau"),
    "give_up": _l("Ngừng gửi"),
    # background jobs (not audited: the work they do records its own entries, e.g. national_export)
    "finish": _l("Hoàn thành"),
    "release": _l("Trả lại hàng đợi"),
    "fail": _l("Dừng vì lỗi"),
    "cancel": _l("Huỷ"),
    # certificates of honourees
    "certificate_template": _l("Sửa mẫu giấy chứng nhận"),
    "issue_certificates": _l("Cấp mã xác minh giấy chứng nhận"),
    "revoke": _l("Thu hồi giấy chứng nhận"),
    "reinstate": _l("Khôi phục giấy chứng nhận"),
    # the signed provincial decision
    "signed_decision": _l("Tải lên quyết định có chữ ký số"),
}

# Where one code means something else on one kind of object.
ENTITY_ACTIONS = {
    ("dossier", "submit"): _l("Nộp hồ sơ"),
    ("dossier", "reject"): _l("Hội đồng không thông qua"),
    ("dossier", "publish"): _l("Công bố trong danh sách được tôn vinh"),
    ("round", "publish"): _l("Công bố danh sách được tôn vinh"),
    ("referral", "submit"): _l("Nộp phiếu tiến cử"),
    ("referral", "accept"): _l("Tiếp nhận phiếu tiến cử"),
    ("complaint", "accept"): _l("Thụ lý khiếu nại"),
    ("complaint", "refuse"): _l("Không thụ lý khiếu nại"),
    ("person_change", "accept"): _l("Chấp nhận đề xuất thay đổi"),
    ("person_change", "reject"): _l("Từ chối đề xuất thay đổi"),
    ("council_session", "close"): _l("Đóng bỏ phiếu"),
    ("talent_need", "close"): _l("Đóng nhu cầu"),
    ("talent_need", "edit"): _l("Sửa nhu cầu"),
    ("talent_pool_entry", "merge"): _l("Thêm phiếu tiến cử"),
    ("person", "merge"): _l("Gộp hồ sơ trùng vào hồ sơ này"),
    ("user", "create"): _l("Tạo tài khoản"),
    ("user", "edit"): _l("Sửa tài khoản"),
    ("organisation", "create"): _l("Tạo đơn vị"),
    ("round", "create"): _l("Tạo đợt xét"),
    ("audit_log", "export"): _l("Xuất nhật ký (CSV)"),
    ("incident", "create"): _l("Ghi sự cố"),
    ("incident", "update"): _l("Cập nhật sự cố"),
    ("incident", "export"): _l("Xuất sổ sự cố (XLSX)"),
    ("data_request", "create"): _l("Nhận yêu cầu"),
    ("data_request", "start"): _l("Bắt đầu xử lý"),
    ("job", "claim"): _l("Bắt đầu thực hiện"),
    ("job", "cancel"): _l("Huỷ công việc"),
    ("consent_request", "create"): _l("Xin ý kiến đồng ý"),
    ("consent_request", "answer"): _l("Người được đề cử trả lời"),
}

# States recorded outside a workflow: (entity type, state) -> label.
STATES = {
    ("user", "active"): _l("Đang hoạt động"),
    ("user", "locked"): _l("Bị khoá"),
    ("user", "on"): _l("Bật"),
    ("user", "off"): _l("Tắt"),
    ("security_policy", "on"): _l("Bắt buộc"),
    ("security_policy", "off"): _l("Không bắt buộc"),
    ("round", "draft"): _l("Hồ sơ nháp"),
    ("round", "published"): _l("Đã công bố"),
}
CHAIR_SUFFIX = " chair"  # an account's "create" entry records its role, and " chair" for the council's chair

# A reason that was only a number in older entries (before it was written as a coded reason): what it counts.
NUMERIC_REASONS = {
    "publish": N_("%(num)s người được tôn vinh"),
    "totp_recovery_code_used": N_("Còn %(num)s mã khôi phục"),
}
# Reasons that hold a code: the security policy's entry names the role it applies to.
CODED_REASONS = {"security_policy": ROLE_LABELS}


# entity type -> {state: label}, filled by every Workflow as it is built (honours.core.workflow): the engine's states
# are labelled where they are defined.
WORKFLOW_STATES: dict[str, dict] = {}


def register_workflow_states(entity_type: str, states: dict) -> None:
    WORKFLOW_STATES[entity_type] = states


def entity_label(entity_type: str) -> str:
    return str(ENTITIES.get(entity_type, entity_type))


def action_label(entity_type: str, action: str) -> str:
    label = ENTITY_ACTIONS.get((entity_type, action)) or ACTIONS.get(action)
    return str(label) if label is not None else action


def has_action_label(entity_type: str, action: str) -> bool:
    return (entity_type, action) in ENTITY_ACTIONS or action in ACTIONS


def state_label(entity_type: str, state: str) -> str:
    """The state's label: the entity's workflow first, then the states recorded outside one ("" stays "")."""
    if not state:
        return ""
    workflow_states = WORKFLOW_STATES.get(entity_type, {})
    if state in workflow_states:
        return str(workflow_states[state])
    if (entity_type, state) in STATES:
        return str(STATES[(entity_type, state)])
    if entity_type == "user":
        role, chair = (state[:-len(CHAIR_SUFFIX)], True) if state.endswith(CHAIR_SUFFIX) else (state, False)
        if role in ROLE_LABELS:
            return gettext("%(role)s (Chủ tịch Hội đồng)", role=ROLE_LABELS[role]) if chair else str(ROLE_LABELS[role])
    return state


def has_state_label(entity_type: str, state: str) -> bool:
    return not state or state_label(entity_type, state) != state


def reason_text(entity_type: str, action: str, reason: str) -> str:
    """A typed or stored reason shown as text: a bare number says what it counts, a role code is named."""
    text = (reason or "").strip()
    if text.isdigit() and action in NUMERIC_REASONS:
        return gettext(NUMERIC_REASONS[action], num=int(text))
    codes = CODED_REASONS.get(entity_type)
    if codes and text in codes:
        return str(codes[text])
    return reason
