#!/usr/bin/env bash
# Re-extracts the translatable (Vietnamese) source strings and merges them into the English catalogue.
#
# Usage (from anywhere in the repository):
#     sh scripts/update-translations.sh          # or: bash scripts/update-translations.sh
#
# Then open honours/translations/en/LC_MESSAGES/messages.po, translate every entry with an empty
# msgstr, review and remove every "#, fuzzy" flag (pybabel's guesses for changed strings), keep
# %(name)s placeholders exactly, and run `.venv/bin/pytest tests/test_i18n.py`: it fails while any
# source string lacks an English translation. No compile step: the app compiles the .po files into
# the instance folder at start-up (honours/i18n.py). The template (.pot) is only a temporary file.
#
# Strings are found by babel.cfg (honours/**.py and templates/**.html) with the keywords _ / gettext /
# ngettext and _l (lazy_gettext). Set PYBABEL / PYTHON to use others than those in .venv/bin.
# Entries whose source string disappeared are dropped (--ignore-obsolete); git history keeps them.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.."

PYBABEL=${PYBABEL:-.venv/bin/pybabel}
PYTHON=${PYTHON:-.venv/bin/python}
CATALOGUE_DIR=honours/translations
LOCALES="en"

pot=$(mktemp "${TMPDIR:-/tmp}/honours-messages.XXXXXX.pot")
trap 'rm -f "$pot"' EXIT

"$PYBABEL" -q extract -F babel.cfg -k _l --add-comments=TRANSLATORS: \
    --project=honours --copyright-holder="Bắc Ninh honours platform" -o "$pot" .

for locale in $LOCALES; do
    "$PYBABEL" -q update --init-missing --previous --ignore-obsolete -i "$pot" -d "$CATALOGUE_DIR" -l "$locale"
done

# Report what still needs a translator (the test suite enforces it too).
"$PYTHON" - "$CATALOGUE_DIR" $LOCALES <<'PY'
import sys
from babel.messages.pofile import read_po

directory, *locales = sys.argv[1:]
for locale in locales:
    path = f"{directory}/{locale}/LC_MESSAGES/messages.po"
    with open(path, "rb") as po:
        catalog = read_po(po)
    todo = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    print(f"{path}: {len(todo)} entr{'y' if len(todo) == 1 else 'ies'} to translate or review")
    for msgid in todo:
        print(f"  - {msgid}")
PY
