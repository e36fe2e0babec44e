"""Access rules of the intellectuals database: the secretariat only (personal data; not even the admin)."""
from datetime import date

from honours.extensions import db
from honours.people.models import Person
from honours.text import fold, name_sort_key

SECRETARIAT = {"secretariat"}

RULES = {
    "people.index": SECRETARIAT,
    "people.show": SECRETARIAT,
    "people.edit": SECRETARIAT,
    "people.duplicates": SECRETARIAT,
    "people.merge": SECRETARIAT,
    "people.export_csv": SECRETARIAT,
    "people.export_xlsx": SECRETARIAT,
}


def params(world) -> dict:
    """Two live records of one person (a duplicate pair), so the merge screen has something to compare."""
    persons = []
    for name in ("Lê Thị Trùng", "Le Thi Trung"):
        person = Person(full_name=name, name_folded=fold(name), sort_key=name_sort_key(name), gender="female",
                        date_of_birth=date(1980, 3, 8), ethnicity="Kinh")
        db.session.add(person)
        persons.append(person)
    db.session.commit()
    return {"person_id": persons[0].id, "other_id": persons[1].id}
