"""A crawler for the pages people see (issue 14): signed in as a role, in Chinese, it follows
every navigation link and every in-app link on the pages it reaches (bounded), and checks the
visible text of each page for what must never show:

* a Python repr (``<… object at 0x…>``, ``SentMessage(id=…)``, ``datetime.datetime(…)``);
* an untranslated code from a choice list (any ``TextChoices``/``ChoiceSet`` of ``yuqi``);
* a snake_case identifier or a dotted module path (``mentions_regulator``,
  ``yuqi.domain.grading.score``).

Visible text is the page without ``<script>``/``<style>``/``<template>`` elements, tags,
attributes and comments; URLs and e-mail addresses are removed from it first (they are data).
Two conventions keep the check strict without false alarms:

* ``<code>`` marks an identifier shown on purpose, one people type or quote (a survey
  question's code in the designer, a measure's API name on the definitions page); its text
  is not checked for codes or snake_case (it is still checked for reprs);
* a choice code inside English prose (three or more lower-case words in a row: a customer's
  English script, a survey question's English wording) is a word of the sentence, not a code.
The test is :mod:`tests.test_crawl`; :data:`ALLOWED` lists the words let through, each with
its reason.
"""

from __future__ import annotations

import html
import importlib
import pkgutil
import re
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.db import models
from django.test import Client
from django.urls import Resolver404, resolve

#: Words that look like a code but are right where they stand, with the reason.
ALLOWED: dict[str, str] = {
    "chinese_calendar": "the Python package that supplies the holidays: what an admin upgrades",
    # Units and standard abbreviations written in lower case in Chinese text too.
    "min": "minutes, the unit of a duration (2 h 15 min)",
    "h": "hours, the unit of a duration",
    "d": "days, the unit of a duration",
    "s": "seconds, the unit of a duration",
    "n": "sample size, the statistical symbol",
    "p": "p-value, the statistical symbol",
    "kg": "unit",
}

#: Paths not crawled, with the reason.
SKIPPED_PREFIXES: dict[str, str] = {
    "/admin/": "Django's back office: its own translations, out of this product's hands",
    "/api/": "the JSON API and its generated docs (not pages)",
    "/static/": "files",
    "/media/": "files",
    "/accounts/logout/": "signs the crawler out",
    "/s/": "the public survey pages: checked by their own tests with a live token",
    "/i18n/": "the language switch (a POST)",
}

#: At most this many pages per URL pattern (one customer 360 is like the next), and per role.
PER_PATTERN = 3
PER_ROLE = 160

_REPR = re.compile(
    r"<[\w.]+ object at 0x[0-9a-f]+>"  # object.__repr__
    r"|\b[A-Z][A-Za-z0-9]+\((?:[a-z_][a-z0-9_]*=)"  # dataclass / namedtuple repr
    r"|\bdatetime\.(?:datetime|date|timedelta)\("
    r"|\bDecimal\('"
    r"|<QuerySet \["
    r"|\{'[a-z_]+': "  # a dict repr
)
_SNAKE = re.compile(r"(?<![\w.\-/])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w\-/])")
_DOTTED = re.compile(r"\byuqi(?:\.[a-z_]+)+")
_WORD = re.compile(r"(?<![\w\-.@/:])[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*(?![\w\-@/])")
_URL = re.compile(r"https?://\S+|(?:(?<=\s)|^)/[\w\-./?=&%:#~+]*")
_EMAIL = re.compile(r"[\w.+\-*]+@[\w\-]+(?:\.[\w\-]+)+")  # masked: w***@…
# A run of latin words; with three or more lower-case words in it, it is English prose.
_LATIN_RUN = re.compile(r"[A-Za-z][\w\-'’]*(?:[ ,.;:!?()\"“”]+[A-Za-z][\w\-'’]*)*")
_LOWER_WORD = re.compile(r"(?<![\w\-'’])[a-z][a-z\-'’]*(?![\w])")


def _prose_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _LATIN_RUN.finditer(text) if len(_LOWER_WORD.findall(m.group())) >= 3]


class _Text(HTMLParser):
    """The visible text of a page, and its links."""

    HIDDEN = {"script", "style", "template", "noscript"}
    #: Text shown as typed, not as the product's words: ``<code>`` and a form's ``<textarea>``
    #: (an article's English body, a QA form's JSON being edited), and any element marked
    #: ``translate="no"`` (HTML's own mark for content not to be translated: the audit log's
    #: stored values and record names, shown as they were stored).
    QUOTED = {"code", "textarea"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.quoted: list[str] = []
        self.links: list[str] = []
        self._hidden = 0
        self._code = 0
        self._kept: list[str] = []  # open elements marked translate="no"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag in self.QUOTED:
            self._code += 1
        if dict(attrs).get("translate") == "no":
            self._kept.append(tag)
            self._code += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag in self.QUOTED and self._code:
            self._code -= 1
        if self._kept and self._kept[-1] == tag:
            self._kept.pop()
            self._code -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        (self.quoted if self._code else self.parts).append(data)
        if self._code:
            self.parts.append(" ")

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def visible_text_and_links(page: str) -> tuple[str, list[str]]:
    """The visible text outside ``<code>``, and the page's links (``href`` values)."""
    text, _quoted, links = visible_parts(page)
    return text, links


def visible_parts(page: str) -> tuple[str, str, list[str]]:
    """The visible text outside ``<code>``, the text inside it, and the links."""
    parser = _Text()
    parser.feed(page)
    parser.close()
    quoted = " ".join(" ".join(parser.quoted).split())
    return html.unescape(parser.text), html.unescape(quoted), parser.links


def choice_codes() -> set[str]:
    """Every code of every choice list in ``yuqi`` that is written like a code (lower case
    latin) and is not its own label in English (``"csat"`` vs ``"CSAT"`` counts as a code)."""
    import yuqi

    for module in pkgutil.walk_packages(yuqi.__path__, "yuqi."):
        if module.name.endswith(".choices") or module.name.endswith(".models"):
            importlib.import_module(module.name)
    codes: set[str] = set()
    pending = list(models.Choices.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if not cls.__module__.startswith("yuqi."):
            continue
        for value in cls.values:
            if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_\-]*", value):
                codes.add(value)
    return codes


@dataclass
class Finding:
    url: str
    kind: str
    word: str
    context: str

    def __str__(self) -> str:
        return f"{self.url}: {self.kind} {self.word!r} in “{self.context}”"


def _around(text: str, match: re.Match[str]) -> str:
    return text[max(0, match.start() - 25) : match.end() + 25]


def problems_in(text: str, codes: set[str]) -> list[tuple[str, str, str]]:
    """``(kind, word, context)`` for each thing in ``text`` (visible text) that must not
    show."""
    found: list[tuple[str, str, str]] = []
    for match in _REPR.finditer(text):
        found.append(("repr", match.group(), _around(text, match)))
    data = _EMAIL.sub(" ", _URL.sub(" ", text))
    for match in _DOTTED.finditer(data):
        found.append(("module path", match.group(), _around(data, match)))
    for match in _SNAKE.finditer(data):
        if match.group() not in ALLOWED:
            found.append(("snake_case", match.group(), _around(data, match)))
    prose = _prose_spans(data)
    for match in _WORD.finditer(data):
        word = match.group()
        if word in codes and word not in ALLOWED and "_" not in word:
            if any(start <= match.start() < end for start, end in prose):
                continue
            found.append(("untranslated code", word, _around(data, match)))
    return found


@dataclass
class CrawlResult:
    pages: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match.route


def _internal(href: str, here: str) -> str | None:
    href, _fragment = urldefrag(href)
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path.startswith("/"):
        if parts.path:
            return None  # relative paths: none in this app
        path = urlsplit(here).path  # "?page=2": the same page
    else:
        path = parts.path
    if any(path.startswith(prefix) for prefix in SKIPPED_PREFIXES):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def crawl(client: Client, start: Iterable[str], codes: set[str]) -> CrawlResult:
    """Follow links breadth-first from ``start``; check each HTML page answered with 200."""
    result = CrawlResult()
    seen: set[str] = set()
    per_pattern: Counter[str] = Counter()
    todo = deque(url for url in start if not url.startswith(tuple(SKIPPED_PREFIXES)))
    while todo and len(result.pages) < PER_ROLE:
        url = todo.popleft()
        if url in seen:
            continue
        seen.add(url)
        pattern = _pattern(urlsplit(url).path)
        if pattern is None:
            result.errors.append(f"{url}: no such page")
            continue
        if per_pattern[pattern] >= PER_PATTERN:
            continue
        per_pattern[pattern] += 1
        response = client.get(url)
        if response.status_code in (301, 302):
            continue
        if response.status_code != 200:
            result.errors.append(f"{url}: HTTP {response.status_code}")
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        result.pages.append(url)
        text, quoted, links = visible_parts(response.content.decode())
        for kind, word, context in problems_in(text, codes):
            result.findings.append(Finding(url, kind, word, context))
        for match in _REPR.finditer(quoted):
            result.findings.append(Finding(url, "repr", match.group(), _around(quoted, match)))
        for href in links:
            target = _internal(href, url)
            if target and target not in seen:
                todo.append(target)
    return result
