from flask_babel import lazy_gettext as _l

ADMIN = "admin"
SECRETARIAT = "secretariat"
COUNCIL = "council"
NOMINATOR = "nominator"

ROLE_LABELS = {
    ADMIN: _l("Quản trị hệ thống"),
    SECRETARIAT: _l("Thư ký"),
    COUNCIL: _l("Thành viên hội đồng"),
    NOMINATOR: _l("Đơn vị đề cử"),
}
ALL_ROLES = tuple(ROLE_LABELS)
