"""``ingest`` names its problems by code; ``imports.messages`` words them, with the msgids the
messages had when they lived in ``ingest``, so the Chinese of ``django.po`` still applies."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.utils import translation

from yuqi.imports.messages import MESSAGES, render
from yuqi.ingest import problems
from yuqi.ingest.errors import FieldError, UnreadableFile
from yuqi.ingest.problems import Code, Problem
from yuqi.ingest.report import cut


def test_every_code_has_a_message():
    assert set(MESSAGES) == set(Code)


def test_every_message_is_translated_into_chinese():
    """The msgids are those of ``django.po`` (moved, not reworded), so each has its Chinese."""
    untranslated = []
    for code, msgid in MESSAGES.items():
        with translation.override("zh-hans"):
            if translation.gettext(msgid) == msgid:
                untranslated.append(code)
    assert untranslated == []


@pytest.mark.parametrize(
    ("problem", "chinese"),
    [
        (Problem(Code.EMPTY_FILE), "文件为空。"),
        (Problem(Code.REQUIRED), "此项必填。"),
        (Problem(Code.NOT_A_DATE, {"value": "2026-13-01"}), "“2026-13-01”不是日期。"),
        (Problem(Code.CUT_MARKER, {"n": "5,000"}), "…［已截断，共 5,000 个字符］"),
    ],
)
def test_the_chinese_is_what_users_saw_before(problem, chinese):
    with translation.override("zh-hans"):
        assert render(problem) == chinese


def test_errors_are_worded_in_the_language_active_when_shown():
    error = FieldError(Code.NOT_A_DATE, value="x")
    assert error.problem == Problem(Code.NOT_A_DATE, {"value": "x"})
    with translation.override("en"):
        assert error.reason == "“x” is not a date."
    with translation.override("zh-hans"):
        assert error.reason == "“x”不是日期。"
        assert cut("y" * 2000, 3) == "yyy…［已截断，共 2,000 个字符］"


def test_without_a_renderer_a_problem_reads_as_its_code(monkeypatch):
    monkeypatch.setattr(problems, "_renderer", [])
    assert str(UnreadableFile(Code.EMPTY_FILE)) == "empty_file"
    assert str(FieldError(Code.NOT_A_DATE, value="x")) == "not_a_date (value='x')"


def test_a_caller_may_still_pass_its_own_words():
    assert str(FieldError("longer than %(n)d characters", n=5)) == "longer than 5 characters"
    assert FieldError("a").problem is None


def test_ingest_loads_without_django():
    """Imported in a fresh interpreter, the import layer pulls in neither Django nor ``core``
    (the import-linter contract checks the source; this checks what runs)."""
    code = (
        "import sys, yuqi.ingest, yuqi.ingest.maps, yuqi.ingest.parse;"
        "bad = sorted(m for m in sys.modules"
        " if m.startswith(('django', 'yuqi.core', 'yuqi.imports')));"
        "print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
