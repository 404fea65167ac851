"""The interface speaks Vietnamese by default and English on request, from a complete catalogue.

The gettext msgids are the Vietnamese texts, so only `chibo/locale/en` exists. The catalogue
checks read the .po with a small parser (no polib) and compare it with what Django serves from the
committed .mo, so a forgotten `compilemessages` fails here too.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from chibo.accounts.models import User

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sd]")
# msgids whose English text may equal the Vietnamese one (names, codes, abbreviations).
SAME_IN_BOTH: set[str] = set()


def po_entries(path: Path = PO_PATH) -> list[dict]:
    """The entries of a .po file: flags, msgid, msgid_plural and msgstr / msgstr[n]."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry: dict = {"flags": set(), "msgstr": {}}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#") or not line.strip():
                continue
            else:
                m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)?\s*(".*")$',
                             line)
                assert m, f"unparsable line in {path.name}: {line!r}"
                if m.group(1):
                    key = (m.group(1), m.group(2))
                text = ast.literal_eval(m.group(3))
                if key[0].startswith("msgstr"):
                    index = int(key[1] or 0)
                    entry["msgstr"][index] = entry["msgstr"].get(index, "") + text
                else:
                    entry[key[0]] = entry.get(key[0], "") + text
        if "msgid" in entry:
            entries.append(entry)
    return entries


def messages() -> list[dict]:
    return [e for e in po_entries() if e["msgid"]]


# Pages -----------------------------------------------------------------------------------------

def test_login_page_is_vietnamese_by_default(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Sign in" not in html


def test_switching_to_english_translates_the_login_page(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html
    assert "Đăng nhập" not in html

    client.post("/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"})
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="vi">' in html and "Đăng nhập" in html


def test_the_browser_language_does_not_override_vietnamese(client, db):
    """Vietnamese first: an English browser (or phone) still gets Vietnamese until the user
    chooses English with the switch."""
    html = client.get("/accounts/login/", headers={"accept-language": "en"}).content.decode()
    assert '<html lang="vi">' in html and "Đăng nhập" in html


def test_signed_in_pages_follow_the_language_cookie(client, db):
    user = User.objects.create_user(username="anh", password="a-test-password-1")
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Party organizations" in html and "Sign out" in html
    assert "Đăng xuất" not in html


# Catalogue -------------------------------------------------------------------------------------

def test_catalogue_files_exist():
    assert PO_PATH.is_file(), "run makemessages (see chibo/locale/README.md)"
    assert MO_PATH.is_file(), "run compilemessages (see chibo/locale/README.md)"
    assert len(messages()) > 100


def test_no_entry_is_untranslated_fuzzy_or_obsolete():
    bad = []
    for e in messages():
        if "fuzzy" in e["flags"] or e.get("obsolete"):
            bad.append(("fuzzy/obsolete", e["msgid"]))
        elif not e["msgstr"] or not all(s.strip() for s in e["msgstr"].values()):
            bad.append(("untranslated", e["msgid"]))
        elif "msgid_plural" in e and len(e["msgstr"]) < 2:
            bad.append(("missing plural form", e["msgid"]))
    assert not bad, bad


def test_translations_keep_every_placeholder():
    bad = []
    for e in messages():
        for index, text in e["msgstr"].items():
            source = e["msgid"] if index == 0 else e.get("msgid_plural", e["msgid"])
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                bad.append((e["msgid"], text))
    assert not bad, bad


def test_translations_differ_from_the_vietnamese():
    same = [e["msgid"] for e in messages()
            if e["msgid"] not in SAME_IN_BOTH and e["msgstr"].get(0) == e["msgid"]]
    assert not same, same


@pytest.mark.parametrize("language", ["en"])
def test_compiled_catalogue_serves_every_po_entry(language):
    """The .mo is up to date: Django answers each msgid with the .po's translation."""
    stale = []
    with translation.override(language):
        for e in messages():
            if "msgid_plural" in e:
                got = [translation.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
                want = [e["msgstr"][0], e["msgstr"][1]]
            elif "msgctxt" in e:
                got = translation.pgettext(e["msgctxt"], e["msgid"])
                want = e["msgstr"][0]
            else:
                got, want = translation.gettext(e["msgid"]), e["msgstr"][0]
            if got != want:
                stale.append(e["msgid"])
    assert not stale, f"run compilemessages; stale or missing in the .mo: {stale}"


def test_vietnamese_is_served_as_is():
    with translation.override("vi"):
        assert translation.gettext("Đăng nhập") == "Đăng nhập"
        assert translation.gettext("Tổ chức đảng") == "Tổ chức đảng"
