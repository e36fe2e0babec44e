"""Demo incidents in the register's states: one found yesterday, not yet notified (its 72-hour deadline counts down
on the secretariat's and the administrator's home pages), one notified and closed last month."""
from datetime import datetime, timedelta

from honours.auth.models import User
from honours.core import clock, roles
from honours.core.db import db
from honours.incidents import services


def seed_incidents(now: datetime, accounts: list[User]) -> list[str]:
    secretary = next(u for u in accounts if u.role == roles.SECRETARIAT)
    empty = {"measures": "", "authority_notified_at": None, "people_notified_at": None, "notifications": "",
             "closed_at": None}
    found = now - timedelta(days=40)
    with clock.frozen(now - timedelta(days=30)):
        services.record(secretary, {
            **empty, "summary": "Gửi nhầm email nhắc chấm điểm có danh sách hồ sơ cho một đơn vị",
            "found_at": found, "people_affected": 12, "data_categories": "Họ tên, đơn vị công tác của người được đề cử",
            "measures": "Đề nghị đơn vị nhận nhầm xoá email và xác nhận bằng văn bản; sửa mẫu email.",
            "authority_notified_at": found + timedelta(hours=30), "people_notified_at": found + timedelta(hours=50),
            "notifications": "Thông báo cơ quan chuyên trách bằng văn bản; email cho 12 người được đề cử.",
            "closed_at": found + timedelta(days=9)})
    with clock.frozen(now - timedelta(hours=2)):
        services.record(secretary, {
            **empty, "summary": "Máy tính của cán bộ thẩm định bị mất, có bản tải về hồ sơ đề cử",
            "found_at": now - timedelta(hours=20), "people_affected": None,
            "data_categories": "Hồ sơ đề cử: lý lịch, ngày sinh, liên hệ"})
    db.session.commit()
    return ["  Incident register: one open incident (found 20 hours ago, not yet notified), one closed."]
