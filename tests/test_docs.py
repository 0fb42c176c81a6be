"""The documentation stays true: every setting read from the environment is documented, and
every relative link in the README and ``docs/`` leads to a file (and heading) that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "yuqi"
CONFIGURATION = ROOT / "docs" / "configuration.md"

# os.environ.get("X"), os.environ["X"], os.getenv("X"), env_int/env_bool/env_list("X", ...)
ENV_READ = re.compile(
    r"""(?:environ\.get|environ\.setdefault|getenv|env_int|env_bool|env_list)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    r"""|environ\[\s*["']([A-Z][A-Z0-9_]+)["']\s*\]"""
)
#: Read from the environment, but Django's or Python's, not Yuqi's settings.
NOT_YUQI_SETTINGS = {"DJANGO_SETTINGS_MODULE"}


def env_names_read(text: str) -> set[str]:
    return {a or b for a, b in ENV_READ.findall(text)} - NOT_YUQI_SETTINGS


def env_names_in_src() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for name in env_names_read(path.read_text(encoding="utf-8")):
            found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return found


def documented_env_names(text: str) -> set[str]:
    """Names in backticks in the first cell of a table row of docs/configuration.md."""
    names: set[str] = set()
    for line in text.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    return names


def test_every_setting_read_from_the_environment_is_documented():
    read = env_names_in_src()
    documented = documented_env_names(CONFIGURATION.read_text(encoding="utf-8"))
    # The settings modules are where almost all of them are read: the scan must see them.
    assert {"YUQI_DATA_DIR", "YUQI_SECRET_KEY", "DATABASE_URL", "YUQI_MAX_BODY_KB"} <= set(read)
    missing = {name: files for name, files in read.items() if name not in documented}
    assert missing == {}


def test_the_environment_scan_finds_each_way_of_reading_a_variable():
    text = """
    a = os.environ.get("YUQI_A", "x")
    b = env_int("YUQI_B", 3)
    c = env_bool( 'YUQI_C', False)
    d = env_list("YUQI_D", [])
    e = os.environ["YUQI_E"]
    f = os.getenv("YUQI_F")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "x")
    """
    assert env_names_read(text) == {f"YUQI_{x}" for x in "ABCDEF"}


def test_an_undocumented_variable_is_noticed():
    documented = documented_env_names(CONFIGURATION.read_text(encoding="utf-8"))
    assert "YUQI_MAX_BODY_KB" in documented
    assert "YUQI_NOT_A_SETTING" not in documented


# --- links -------------------------------------------------------------------------------

LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCE = re.compile(r"^(```|~~~)")


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def links(text: str) -> list[str]:
    """Targets of inline links outside fenced code blocks and inline code."""
    found, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        if not fenced:
            found.extend(LINK.findall(re.sub(r"`[^`]*`", "", line)))
    return found


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {slug(m) for m in re.findall(r"^#+\s+(.*)$", text, flags=re.MULTILINE)}


def broken_links(path: Path) -> list[str]:
    broken = []
    for target in links(path.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        if not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target}: no such heading")
    return broken


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(path):
    assert broken_links(path) == []


def test_the_link_check_notices_a_missing_file_and_heading(tmp_path):
    (tmp_path / "there.md").write_text("# A heading\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](there.md) [ok](there.md#a-heading) [web](https://example.com/x)\n"
        "[gone](missing.md) [bad anchor](there.md#nope)\n"
        "`[not a link](nowhere.md)`\n```\n[in code](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page) == ["missing.md: no such file", "there.md#nope: no such heading"]


def test_the_readme_is_a_front_door():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 120
    for doc in ("configuration", "deployment", "roles", "api", "architecture", "sources"):
        assert f"(docs/{doc}.md)" in readme


# --- sources -----------------------------------------------------------------------------

SOURCES = ROOT / "docs" / "sources.md"
#: A cited key: ``[seed-001]``, ``[newcombe-1998b]``; not a mypy code (``ignore[arg-type]``)
#: nor a character class (``[a-z]``).
CITED_KEY = re.compile(r"(?<!ignore)\[([a-z][a-z0-9]+(?:-[a-z0-9]+)+)\]")
DEFINED_KEY = re.compile(r"^\| `\[([a-z0-9-]+)\]` \|", flags=re.MULTILINE)
#: Files the repository does not hold: the project's shared folder, its seeds and notes, and
#: tracker issues named by number instead of by key.
UNHELD = re.compile(
    r"\.\./shared|shared/|seeds/|\bseed \d{3}|anchor-systems\.md|complaint-rules\.md"
    r"|\bissue \d+"
)
#: String data, not comments: the ``source`` text of shipped defaults that the admin shows and
#: the data migrations store. Changing it changes stored data, which is out of a comment-only
#: pass; each stays listed here until it is rewritten.
DATA_STRINGS = {
    "src/yuqi/complaints/defaults.py": (
        '_YUQI = "Yuqi default, shaped by seeds/003',
        '("local", "callback", 2, "working_days", _YUQI.format(principle="回访确认 (seeds/001)")),',
    ),
    "src/yuqi/commitments/defaults.py": (
        '"MIIT mobile service specification (2009), via reference/complaint-rules.md',
        'YUQI = "Yuqi default (seed 000',
    ),
}


def code_files() -> list[Path]:
    return [*sorted(SRC.rglob("*.py")), *sorted((ROOT / "bench").glob("*.py"))]


def defined_keys() -> set[str]:
    return set(DEFINED_KEY.findall(SOURCES.read_text(encoding="utf-8")))


def unknown_keys(path: Path, known: set[str]) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [key for key in CITED_KEY.findall(text) if key not in known]


def unheld_citations(path: Path) -> list[str]:
    allowed = DATA_STRINGS.get(str(path.relative_to(ROOT)), ())
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if UNHELD.search(line) and not line.strip().startswith(allowed or ("\0",))
    ]


def test_sources_md_defines_the_founding_documents_and_the_papers():
    keys = defined_keys()
    assert {f"seed-00{n}" for n in range(5)} <= keys
    assert {"newcombe-1998b", "wilson-1927", "krippendorff-2011", "cohen-1960"} <= keys
    assert {"fong-1996", "berger-1993", "erlang-1917", "miit-appeals-2016"} <= keys


def test_every_source_key_cited_in_the_code_is_in_sources_md():
    known = defined_keys()
    cited = {key for path in code_files() for key in CITED_KEY.findall(path.read_text("utf-8"))}
    assert {"seed-001", "seed-003", "anchor-systems-2026"} <= cited  # the scan sees them
    assert {str(p.relative_to(ROOT)): unknown_keys(p, known) for p in code_files()} == {
        str(p.relative_to(ROOT)): [] for p in code_files()
    }


def test_no_comment_cites_a_file_the_repository_does_not_hold():
    found = [line for path in code_files() for line in unheld_citations(path)]
    assert found == []


def test_the_listed_data_strings_are_still_there():
    """An entry of DATA_STRINGS that no longer matches a line is removed, not kept."""
    for name, starts in DATA_STRINGS.items():
        lines = [line.strip() for line in (ROOT / name).read_text("utf-8").splitlines()]
        for start in starts:
            assert any(line.startswith(start) for line in lines), (name, start)


def test_the_source_checks_notice_an_unknown_key_and_a_path_outside_the_repository(tmp_path):
    fake = tmp_path / "fake.py"
    fake.write_text(
        '"""The pyramid ([seed-002]); see [nobody-2099] and seeds/002."""\n'
        "x = y  # type: ignore[arg-type]\n"
        'PATTERN = "[a-z0-9]"\n'
        "# Target (issue 3); ../shared/reference/complaint-rules.md\n",
        encoding="utf-8",
    )
    assert unknown_keys(fake, defined_keys()) == ["nobody-2099"]
    lines = fake.read_text("utf-8").splitlines()
    assert [line for line in lines if UNHELD.search(line)] == [lines[0], lines[3]]


def test_the_readme_lists_every_yuqi_command():
    import argparse

    from yuqi.cli import build_parser

    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `yuqi ([a-z][a-z-]*)", readme, flags=re.MULTILINE))
    assert listed == set(commands.choices)
