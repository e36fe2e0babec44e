"""Demo data-subject requests in every state: a deletion received yesterday, a correction in progress (its deadline
counts down in the secretariat's inbox), an access request answered and an objection refused last month."""
from datetime import datetime, timedelta

from honours.auth.models import User
from honours.core import clock, roles
from honours.core.db import db
from honours.privacy import services
from honours.privacy.workflows import ACCESS, CORRECTION, DELETION, OBJECTION

from .data import EMAIL_DOMAIN


def seed_requests(now: datetime, accounts: list[User]) -> list[str]:
    secretary = next(u for u in accounts if u.role == roles.SECRETARIAT)
    with clock.frozen(now - timedelta(days=35)):
        answered = services.lodge("nguyet.ntm@" + EMAIL_DOMAIN, ACCESS, "")
    with clock.frozen(now - timedelta(days=33)):
        services.answer(secretary, answered, "Gửi kèm bản tải về toàn bộ dữ liệu đang được lưu giữ (PDF); ông/bà "
                                             "cũng có thể tự tải về bằng liên kết trong thư.")
    with clock.frozen(now - timedelta(days=4)):
        correction = services.lodge("thang.hv@" + EMAIL_DOMAIN, CORRECTION,
                                    "Cơ quan công tác hiện nay là Bệnh viện Đa khoa tỉnh Bắc Ninh, không còn ở trường.")
    with clock.frozen(now - timedelta(days=3)):
        services.add_action(secretary, correction, "Đã đề nghị đơn vị đề cử xác nhận nơi công tác mới.")
    with clock.frozen(now - timedelta(days=20)):
        objection = services.lodge("huy.pq@" + EMAIL_DOMAIN, OBJECTION,
                                   "Không đồng ý lưu quyết định tặng danh hiệu có tên tôi.")
    with clock.frozen(now - timedelta(days=18)):
        services.answer(secretary, objection, "Quyết định tặng danh hiệu là hồ sơ phải lưu giữ theo pháp luật về thi "
                                              "đua, khen thưởng và lưu trữ, nên không thể ngừng lưu.", refuse=True)
    with clock.frozen(now - timedelta(days=1)):
        services.lodge("nguyet.ntm@" + EMAIL_DOMAIN, DELETION, "")
    db.session.commit()
    return ["  Data-subject requests: a deletion received, a correction in progress, an access request answered, "
            "an objection refused."]
