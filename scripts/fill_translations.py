"""Fill English translations from a JSON mapping {vietnamese msgid: english} and clear fuzzy flags.

Usage: .venv/bin/python scripts/fill_translations.py mapping.json   (run scripts/update-translations.sh first)
"""
import json
import sys

from babel.messages.pofile import read_po, write_po

CATALOGUE = "honours/translations/en/LC_MESSAGES/messages.po"


def main(mapping_path: str) -> None:
    with open(mapping_path, encoding="utf-8") as source:
        mapping = json.load(source)
    with open(CATALOGUE, "rb") as po:
        catalog = read_po(po)
    filled = 0
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key and key in mapping:
            value = mapping[key]
            if isinstance(message.id, tuple):  # ngettext: [singular, plural], or one text for both
                message.string = (value, value) if isinstance(value, str) else tuple(value)
            else:
                message.string = value
            message.flags.discard("fuzzy")
            filled += 1
    with open(CATALOGUE, "wb") as po:
        write_po(po, catalog, width=100)
    print(f"filled {filled} of {len(mapping)}")


if __name__ == "__main__":
    main(sys.argv[1])
