"""Chinese by default, English on request, and no user-facing string left untranslated."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import yuqi

PACKAGE = Path(yuqi.__file__).parent
CATALOG = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries(text: str) -> list[tuple[str, list[str]]]:
    """(msgid, [msgstr...]) pairs of a .po file, enough for completeness checks."""
    return [(msgid, strs) for _ctx, msgid, strs in po_entries_with_context(text)]


def po_entries_with_context(text: str) -> list[tuple[str | None, str, list[str]]]:
    """(msgctxt or None, msgid, [msgstr...]) of each entry of a .po file."""
    entries, msgid, msgstrs, current, context = [], None, [], None, None
    for line in [*text.splitlines(), ""]:
        if line.startswith("msgctxt "):
            context, current = _unquote(line[8:]), "ctxt"
        elif line.startswith("msgid "):
            msgid, msgstrs, current = _unquote(line[6:]), [], "id"
        elif line.startswith("msgid_plural "):
            current = "plural"
        elif line.startswith("msgstr"):
            msgstrs.append(_unquote(line.split(" ", 1)[1]))
            current = "str"
        elif line.startswith('"') and current == "ctxt":
            context += _unquote(line)
        elif line.startswith('"') and current == "id":
            msgid += _unquote(line)
        elif line.startswith('"') and current == "str":
            msgstrs[-1] += _unquote(line)
        elif not line.strip() and msgid is not None:
            entries.append((context, msgid, msgstrs))
            msgid, current, context = None, None, None
    return [(c, i, s) for c, i, s in entries if i]


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text: str) -> str:
    """A .po string literal's content, with its backslash escapes resolved."""
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), text.strip()[1:-1])


def test_the_shipped_catalog_translates_everything():
    text = (CATALOG / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    untranslated = [msgid for msgid, strs in po_entries(text) if not all(strs)]
    assert untranslated == []


def test_the_compiled_catalog_matches_the_source():
    with (CATALOG / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    text = (CATALOG / "django.po").read_text(encoding="utf-8")
    for context, msgid, strs in po_entries_with_context(text):
        if len(strs) == 1:
            found = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
            assert found == strs[0], msgid


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (xgettext)")
def test_no_string_in_the_code_is_missing_from_the_catalog(tmp_path):
    copy = tmp_path / "yuqi"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "", "PYTHONPATH": ""},
    )
    text = (copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    untranslated = [msgid for msgid, strs in po_entries(text) if not all(strs)]
    assert untranslated == [], "run makemessages and translate these"


def test_the_shell_is_chinese_by_default_and_english_after_switching(as_user, manager):
    client = as_user(manager)
    page = client.get("/").content.decode()
    assert "首页" in page
    assert "审计日志" in page
    assert "退出登录" in page
    assert re.search(r">\s*Home\s*<", page) is None
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert "Audit log" in page
    assert "Sign out" in page
    assert "审计日志" not in page
