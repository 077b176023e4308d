"""Chinese first: every catalogue translates every string it holds (run `make makemessages` after
adding strings; this test then names any left untranslated)."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def test_every_app_has_a_chinese_catalogue():
    owners = {
        p.relative_to(ROOT).parts[0] if p.parts[-5] != "incubator" else "/".join(p.relative_to(ROOT).parts[:2])
        for p in CATALOGUES
    }
    assert {"core", "courses", "mentors", "locale"} <= owners


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_is_left_untranslated(catalogue):
    po = polib.pofile(str(catalogue))
    missing = [entry.msgid for entry in po if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)]
    assert missing == []
