"""Access rules of the personal-data incident register: the secretariat and the administrator."""
from datetime import timedelta

from honours.core import clock
from honours.core.db import db
from honours.incidents.models import Incident

MANAGERS = {"admin", "secretariat"}

RULES = {
    "incidents.index": MANAGERS,
    "incidents.export": MANAGERS,
    "incidents.create": MANAGERS,
    "incidents.edit": MANAGERS,
}


def params(world) -> dict:
    incident = Incident(summary="Lộ danh sách đề cử", found_at=clock.now() - timedelta(hours=5),
                        recorded_by_id=world["dossier"].created_by_id)
    db.session.add(incident)
    db.session.commit()
    return {"incident_id": incident.id}
