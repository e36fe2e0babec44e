"""The purposes consent is asked for, in one place: their code, the exact Vietnamese text shown (hashed with each
choice, so what was agreed to can be proved), and whether the round cannot go on without it."""
import hashlib
from dataclasses import dataclass

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from honours.core.audit_labels import N_


@dataclass(frozen=True)
class Purpose:
    code: str
    short: object  # a lazy label, for tables and the audit log
    text: str  # the Vietnamese text as shown (msgid): its hash is recorded with the choice
    required: bool = False

    @property
    def shown(self) -> str:
        return gettext(self.text)

    @property
    def text_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


ROUND, PUBLICATION, PROVINCIAL_DB, NATIONAL_DB, TALENT = "a", "b", "c", "d", "e"
PURPOSES = (
    Purpose(ROUND, _l("Xử lý hồ sơ trong đợt xét"), N_(
        "(a) Xử lý dữ liệu cá nhân trong hồ sơ để thẩm định, chấm điểm và xét chọn trong đợt xét tôn vinh này "
        "(bắt buộc để hồ sơ được xét)."), required=True),
    Purpose(PUBLICATION, _l("Công bố nếu được tôn vinh"), N_(
        "(b) Nếu được tôn vinh: công bố trên trang công khai và các tệp xuất công khai họ và tên, học hàm, học vị, "
        "nơi công tác, lĩnh vực, trích dẫn thành tích và ảnh chân dung.")),
    Purpose(PROVINCIAL_DB, _l("Cơ sở dữ liệu trí thức của tỉnh"), N_(
        "(c) Đưa thông tin vào cơ sở dữ liệu trí thức, chuyên gia của tỉnh Bắc Ninh.")),
    Purpose(NATIONAL_DB, _l("Chuyển CSDL quốc gia"), N_(
        "(d) Chuyển thông tin (kể cả thông tin liên hệ) sang Hệ thống cơ sở dữ liệu quốc gia về trí thức.")),
    Purpose(TALENT, _l("Liên hệ về chương trình nhân tài"), N_(
        "(e) Được liên hệ về các chương trình thu hút, trọng dụng nhân tài của tỉnh.")),
)
BY_CODE = {p.code: p for p in PURPOSES}
CODES = tuple(BY_CODE)

GIVEN, REFUSED, WITHDRAWN = "given", "refused", "withdrawn"
DECISIONS = {GIVEN: _l("Đồng ý"), REFUSED: _l("Không đồng ý"), WITHDRAWN: _l("Đã rút lại đồng ý")}
ONLINE, PAPER = "online", "paper"
CHANNELS = {ONLINE: _l("Trực tuyến (liên kết qua email)"), PAPER: _l("Bản giấy có chữ ký")}
