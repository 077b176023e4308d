"""Wagtail's admin in Chinese, all of it: every msgid Wagtail (and wagtailmedia, allauth) ships has a
zh_Hans translation, from its own catalogue or from ours in vendor_locale/wagtail/.

Each package's `en` catalogues list every msgid it ships (they are regenerated on every release), so
after an upgrade test_every_shipped_msgid_has_chinese names each new string still in English: add
it, translated, to vendor_locale/wagtail/locale/zh_Hans/LC_MESSAGES/django.po (or djangojs.po), then
`make messages`. Only polib parsing here, no makemessages.

django-filter's strings (the listings' filters and "… (descending)" sort choices) are in the same
catalogue: django-filter is no installed app, so its own catalogue is never read.

vendor_locale/allauth/ corrects allauth's poor Chinese ("Email地址", "代码" for a verification code):
each entry there replaces one of allauth's translations and agrees with the project's catalogues."""

import json
import re
from functools import cache
from pathlib import Path

import allauth
import django_filters
import polib
import pytest

import django
from django.apps import apps
from django.conf import settings
from django.utils import translation

import wagtail
import wagtailmedia

from tests.factories import OfficeFactory

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "vendor_locale" / "wagtail" / "locale"
ALLAUTH_FIXES = ROOT / "vendor_locale" / "allauth" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
ALLAUTH_ZH = Path(allauth.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
DJANGO_FILTER_MSGIDS = Path(django_filters.__file__).parent / "locale" / "zh_CN" / "LC_MESSAGES" / "django.po"
PACKAGES = {
    name: Path(module.__file__).parent
    for name, module in [("wagtail", wagtail), ("wagtailmedia", wagtailmedia), ("allauth", allauth)]
}
EN_CATALOGUES = sorted(p for root in PACKAGES.values() for p in root.glob("**/locale/en/LC_MESSAGES/*.po"))

SEARCH_ALL_PAGES = "Search all pages…"
EDITOR_GUIDE = "Wagtail %(current_version)s editor guide"


def _name(path: Path) -> str:
    for package, root in PACKAGES.items():
        if path.is_relative_to(root):
            return f"{package}/{path.relative_to(root)}"
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _key(entry):
    return entry.msgctxt, entry.msgid


def _done(entry) -> bool:
    return not entry.obsolete and entry.translated() and "fuzzy" not in entry.flags


@cache
def _translated(po_path: Path) -> frozenset:
    return frozenset(_key(e) for e in polib.pofile(str(po_path)) if _done(e)) if po_path.exists() else frozenset()


def _served_catalogues(domain: str, owner: Path) -> list[Path]:
    """The zh_Hans catalogues Django merges for this domain, as the office's pages read them.

    django: Django's own, every installed app's and LOCALE_PATHS (ours included).
    djangojs: Wagtail's JavaScriptCatalog(packages=["wagtail.admin"]) reads wagtail.admin's and LOCALE_PATHS only.
    """
    locale_dirs = [Path(p) for p in settings.LOCALE_PATHS]
    if domain == "django":
        locale_dirs += [Path(django.__file__).parent / "conf" / "locale"]
        locale_dirs += [Path(app.path) / "locale" for app in apps.get_app_configs()]
    locale_dirs.append(owner)
    return [d / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po" for d in locale_dirs]


def test_our_catalogue_is_read_after_the_projects_own():
    # The second entry: `make makemessages` writes to the first, never to ours.
    assert [Path(p) for p in settings.LOCALE_PATHS] == [ROOT / "locale", VENDOR, ALLAUTH_FIXES.parents[2]]


def test_every_package_ships_en_catalogues():
    assert {_name(p) for p in EN_CATALOGUES} >= {
        "wagtail/admin/locale/en/LC_MESSAGES/django.po",
        "wagtail/admin/locale/en/LC_MESSAGES/djangojs.po",
        "wagtail/locale/en/LC_MESSAGES/django.po",
        "wagtailmedia/locale/en/LC_MESSAGES/django.po",
        "allauth/locale/en/LC_MESSAGES/django.po",
    }


@pytest.mark.parametrize("en_catalogue", EN_CATALOGUES, ids=_name)
def test_every_shipped_msgid_has_chinese(en_catalogue):
    domain = en_catalogue.stem
    owner = en_catalogue.parents[2]  # .../<app>/locale
    translated = frozenset().union(*(_translated(p) for p in _served_catalogues(domain, owner)))
    missing = [e.msgid for e in polib.pofile(str(en_catalogue)) if not e.obsolete and _key(e) not in translated]
    assert missing == [], f"add these to {VENDOR.relative_to(ROOT)}/zh_Hans/LC_MESSAGES/{domain}.po"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_our_catalogue_is_complete_and_one_plural_form(domain):
    po = polib.pofile(str(VENDOR / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"))
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert [e.msgid for e in po if not _done(e)] == []
    assert [e.msgid for e in po if e.msgid_plural and set(e.msgstr_plural) != {0}] == []


def test_our_catalogue_only_fills_gaps():
    """LOCALE_PATHS outrank every app's catalogue: an entry here that another catalogue already
    translates would replace that translation everywhere (the project's own apps' included)."""
    ours = VENDOR / "zh_Hans" / "LC_MESSAGES" / "django.po"
    others = [p for p in _served_catalogues("django", VENDOR) if p != ours]
    overriding = {
        e.msgid: [_name(p) for p in others if _key(e) in _translated(p)]
        for e in polib.pofile(str(ours))
        if any(_key(e) in _translated(p) for p in others)
    }
    assert overriding == {}, "already translated there: delete these entries from ours"


def test_django_filters_strings_have_chinese():
    # Its catalogue lists every msgid it ships; Wagtail's filters and ordering menus are django-filter's.
    msgids = [e.msgid for e in polib.pofile(str(DJANGO_FILTER_MSGIDS)) if e.msgid and not e.obsolete]
    assert "%s (descending)" in msgids
    with translation.override("zh-hans"):
        missing = [msgid for msgid in msgids if translation.gettext(msgid) == msgid]
        descending = translation.gettext("%s (descending)") % "得分"
    assert missing == [], f"add these to {VENDOR.relative_to(ROOT)}/zh_Hans/LC_MESSAGES/django.po"
    assert descending == "得分（降序）"


def _project_catalogues() -> list[Path]:
    own = [ROOT / "locale", *(Path(app.path) / "locale" for app in apps.get_app_configs())]
    return [
        d / "zh_Hans" / "LC_MESSAGES" / "django.po" for d in own if d.is_relative_to(ROOT) and ".venv" not in d.parts
    ]


def test_the_allauth_corrections_replace_allauths_translations_and_agree_with_ours():
    fixes = [e for e in polib.pofile(str(ALLAUTH_FIXES)) if not e.obsolete]
    assert fixes
    theirs = {_key(e): e.msgstr for e in polib.pofile(str(ALLAUTH_ZH)) if e.msgstr}
    ours = {}
    for path in _project_catalogues():
        if path.exists():
            ours.update({_key(e): (e.msgstr, path) for e in polib.pofile(str(path)) if _done(e)})
    for entry in fixes:
        assert _done(entry), entry.msgid
        assert _key(entry) in theirs, f"not one of allauth's: {entry.msgid}"
        assert entry.msgstr != theirs[_key(entry)], f"same as allauth's: {entry.msgid}"
        assert "email" not in re.sub(r"%\(\w+\)s", "", entry.msgstr).lower(), entry.msgstr
        if _key(entry) in ours:
            assert ours[_key(entry)][0] == entry.msgstr, f"{entry.msgid}: {ours[_key(entry)][1]} says otherwise"
        with translation.override("zh-hans"):
            served = (
                translation.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else translation.gettext(entry.msgid)
            )
        assert served == entry.msgstr  # nothing outranks the correction
    wagtail_gaps = {_key(e) for e in polib.pofile(str(VENDOR / "zh_Hans" / "LC_MESSAGES" / "django.po"))}
    assert wagtail_gaps.isdisjoint(_key(e) for e in fixes)


def test_no_allauth_label_reads_email_in_latin_letters():
    with translation.override("zh-hans"):
        for msgid in ("Email Addresses", "Add Email Address", "Current email", "Enter Phone Verification Code"):
            assert "Email" not in translation.gettext(msgid) and "代码" not in translation.gettext(msgid)


@pytest.mark.django_db
def test_the_admin_home_is_in_chinese(client):
    client.force_login(OfficeFactory(preferred_language="zh-hans"))

    response = client.get("/admin/")

    assert response.status_code == 200
    page = response.content.decode()

    with translation.override("zh-hans"):
        # Looked up through a name, so that `make makemessages` does not copy Wagtail's msgids into ours.
        lookup = translation.gettext
        search = lookup(SEARCH_ALL_PAGES)
        guide = lookup(EDITOR_GUIDE) % {"current_version": wagtail.__version__}
    assert search != SEARCH_ALL_PAGES and search in page
    assert "editor guide" not in guide and guide in page
    assert '个页面<span class="w-sr-only">创建于' in page  # the site summary's "%(total)s Pages created in …"
    for english in ("Search all pages…", "editor guide", "Pages <span", "Page <span", "created in"):
        assert english not in page


@pytest.mark.django_db
def test_the_admin_javascript_catalogue_is_in_chinese(client):
    client.force_login(OfficeFactory(preferred_language="zh-hans"))

    catalogue = client.get("/admin/jsi18n/").content.decode()

    # Wagtail's own zh_Hans djangojs.po and ours both reach the editor's scripts.
    assert json.dumps("正在自动保存…") in catalogue  # ours: "Autosave in progress…"
    assert json.dumps("插入区块") in catalogue  # ours: "Insert a block"
    assert json.dumps("全部展开") in catalogue  # Wagtail's: "Expand all"
