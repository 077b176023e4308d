"""Fill the empty (or fuzzy) msgstr entries of a .po file from a JSON object read on stdin;
translations already made are kept, whatever the JSON says.

    python scripts/po_fill.py core/locale/zh_Hans/LC_MESSAGES/django.po < translations.json

Keys are msgids; a value is a string, or a list of strings for plural entries. Prints the msgids
still untranslated afterwards (fuzzy entries count as untranslated and are cleared).
"""

import json
import sys

import polib


def main(path: str) -> int:
    translations = json.load(sys.stdin)
    po = polib.pofile(path, wrapwidth=0)
    for entry in po:
        if entry.obsolete:
            continue
        value = translations.get(entry.msgid)
        if value is not None and (not entry.translated() or "fuzzy" in entry.flags):
            if entry.msgid_plural:
                values = value if isinstance(value, list) else [value]
                entry.msgstr_plural = dict(enumerate(values))
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
    po.save(path)
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
