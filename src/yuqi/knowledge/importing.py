"""Import articles from a CSV/XLSX file (columns title, body, category, tags, kind, audience;
optional title_en, body_en, tiers, topics, effective_from, review_by) or a folder of Markdown
files with front matter::

    ---
    title: 宽带断网了怎么办
    category: network-broadband
    tags: 宽带, 断网
    kind: procedure
    audience: public
    effective_from: 2026-01-01
    ---
    Markdown body …

A title that already exists (an article whose latest version has that Chinese title, or an
earlier row of the same file) makes a **new version** of that article, never a duplicate; a
row identical to the latest version changes nothing. Imported articles are drafts, unless
``publish`` (built-in publication, for a first migration from an old knowledge base).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from yuqi.core.errors import DomainError
from yuqi.imports.importers import Checked, StoreResult
from yuqi.ingest import ColumnMap, FieldSpec, IngestError, open_table
from yuqi.ingest.errors import FieldError
from yuqi.ingest.parse import parse_date
from yuqi.knowledge.choices import ArticleKind, ArticleStatus, Audience
from yuqi.knowledge.models import Article, Category
from yuqi.knowledge.services import (
    Content,
    article_create,
    article_publish_builtin,
    article_set_meta,
    article_update,
)

COLUMNS = ColumnMap(
    {
        spec.name: spec
        for spec in (
            FieldSpec("title", ("标题", "问题", "question"), required=True),
            FieldSpec("body", ("正文", "内容", "答案", "answer", "content"), required=True),
            FieldSpec("category", ("分类", "类别", "目录")),
            FieldSpec("tags", ("标签", "关键词", "keywords")),
            FieldSpec("kind", ("类型", "种类", "type")),
            FieldSpec("audience", ("受众", "可见范围", "visibility")),
            FieldSpec("title_en", ("英文标题", "english title")),
            FieldSpec("body_en", ("英文正文", "english body")),
            FieldSpec("tiers", ("等级", "客户等级")),
            FieldSpec("topics", ("投诉类别", "taxonomy")),
            # a policy wording (口径) needs the date it is in force from
            FieldSpec("effective_from", ("生效日期", "生效时间", "执行日期", "in force from")),
            FieldSpec("review_by", ("复核日期", "下次复核", "review date")),
        )
    },
    name="knowledge",
)

KIND_WORDS = {
    "问答": ArticleKind.ANSWER,
    "faq": ArticleKind.ANSWER,
    "答案": ArticleKind.ANSWER,
    "流程": ArticleKind.PROCEDURE,
    "操作": ArticleKind.PROCEDURE,
    "口径": ArticleKind.POLICY,
    "政策": ArticleKind.POLICY,
    "话术": ArticleKind.SCRIPT,
    "预案": ArticleKind.PLAYBOOK,
    "剧本": ArticleKind.PLAYBOOK,
}
AUDIENCE_WORDS = {"内部": Audience.INTERNAL, "公开": Audience.PUBLIC, "对外": Audience.PUBLIC}
MAX_FILES = 5_000
MAX_FILE_BYTES = 200_000
_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.S)


@dataclass
class ImportResult:
    created: int = 0
    versioned: int = 0
    unchanged: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)


def _list(value: str | None) -> list[str]:
    text = (value or "").strip().strip("[]")
    return [v.strip().strip("'\"") for v in re.split(r"[,，;；、\s]+", text) if v.strip()]


def _kind(value: str | None) -> str:
    text = (value or "").strip().lower()
    if not text:
        return ArticleKind.ANSWER
    if text in ArticleKind.values:
        return text
    if text in KIND_WORDS:
        return KIND_WORDS[text]
    raise DomainError(
        _("Unknown article kind “%(value)s”: use 问答, 流程, 口径, 话术 or 预案.")
        % {"value": value},
        field="kind",
    )


def _audience(value: str | None) -> str:
    text = (value or "").strip().lower()
    if not text:
        return Audience.INTERNAL
    if text in Audience.values:
        return text
    if text in AUDIENCE_WORDS:
        return AUDIENCE_WORDS[text]
    raise DomainError(
        _("Unknown audience “%(value)s”: use 内部 or 公开.") % {"value": value}, field="audience"
    )


def _date(value: Any, name: str) -> date | None:
    try:
        return parse_date(value)
    except FieldError as exc:
        raise DomainError(str(exc), field=name) from exc


def _content(values: Mapping[str, Any]) -> Content:
    return Content(
        title=values.get("title") or "",
        body=values.get("body") or "",
        title_en=values.get("title_en") or "",
        body_en=values.get("body_en") or "",
        tags=tuple(_list(values.get("tags"))),
    )


def _category(value: str | None, cache: dict[str, Category]) -> Category | None:
    text = (value or "").strip()
    if not text:
        return None
    if text in cache:
        return cache[text]
    found = Category.objects.filter(code=text).first() or Category.objects.filter(name=text).first()
    if found is None:
        code = slugify(text) or f"c-{abs(hash(text)) % 10**8}"
        while Category.objects.filter(code=code).exists():
            code += "-1"
        found = Category.objects.create(code=code[:60], name=text[:80])
    cache[text] = found
    return found


# PostgreSQL cannot store the NUL character (code 0) in text; the record is refused by name.
_NUL_ERROR = "NUL character (code 0) in %s"


def _records_from_table(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    with open_table(path, column_map=COLUMNS) as table:
        for row in table.rows():
            if row.nul:
                yield f"row {row.number}", {"_error": _NUL_ERROR % ", ".join(row.nul)}
                continue
            yield f"row {row.number}", dict(row.values)


def _records_from_folder(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    files = sorted(p for p in path.rglob("*.md") if p.is_file())
    if len(files) > MAX_FILES:
        raise DomainError(f"more than {MAX_FILES} Markdown files")
    for file in files:
        if file.stat().st_size > MAX_FILE_BYTES:
            yield file.name, {"_error": f"larger than {MAX_FILE_BYTES} bytes"}
            continue
        text = file.read_text(encoding="utf-8-sig", errors="replace")
        if "\x00" in text:
            yield file.name, {"_error": _NUL_ERROR % "body"}
            continue
        match = _FRONT.match(text)
        meta: dict[str, Any] = {}
        body = text
        if match:
            body = match.group(2)
            for line in match.group(1).splitlines():
                if ":" in line:
                    key, _, value = line.partition(":")
                    meta[key.strip().lower()] = value.strip().strip("'\"")
        meta.setdefault("title", file.stem)
        meta["body"] = body.strip()
        yield file.name, meta


def records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    if path.is_dir():
        return _records_from_folder(path)
    return _records_from_table(path)


def import_articles(path: str | Path, *, by: Any = None, publish: bool = False) -> ImportResult:
    """Import ``path`` (file or folder); each record in its own transaction."""
    path = Path(path)
    result = ImportResult()
    categories: dict[str, Category] = {}
    try:
        source = list(records(path))
    except IngestError as exc:
        raise DomainError(str(exc)) from exc
    for where, values in source:
        if "_error" in values:
            result.errors.append((where, values["_error"]))
            continue
        try:
            with transaction.atomic():
                outcome = _import_one(values, by=by, publish=publish, categories=categories)
        except DomainError as exc:
            result.errors.append((where, f"{exc.field or ''} {exc.message}".strip()))
            continue
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def _import_one(
    values: dict[str, Any], *, by: Any, publish: bool, categories: dict[str, Category]
) -> str:
    content = _content(values)
    meta: dict[str, Any] = {
        "category": _category(values.get("category"), categories),
        "audience": _audience(values.get("audience")),
        "tiers": _list(values.get("tiers")),
        "topics": _list(values.get("topics")),
    }
    for name in ("effective_from", "review_by"):  # a blank cell keeps the article's date
        if (day := _date(values.get(name), name)) is not None:
            meta[name] = day
    kind = _kind(values.get("kind"))
    title = content.title.strip()
    existing = (
        Article.objects.filter(latest_version__title=title)
        .exclude(status=ArticleStatus.RETIRED)
        .order_by("pk")
        .first()
    )
    if existing is None:
        article = article_create(by=by, kind=kind, content=content, **meta)
        outcome = "created"
    else:
        before = existing.latest_version_id
        article_set_meta(by=by, article=existing, **meta)
        article = article_update(by=by, article=existing, content=content, note="import")
        outcome = "versioned" if article.latest_version_id != before else "unchanged"
    if publish and outcome != "unchanged":
        article.refresh_from_db()
        article_publish_builtin(article)
    return outcome


class ArticleImporter:
    """Article files on the import page and ``yuqi import knowledge FILE`` (the engine's
    upload limits, progress and error report). Every article arrives as a draft for review;
    a title already in the knowledge base makes a new version of that article."""

    kind = "knowledge"
    permission = "knowledge.add_article"
    columns = COLUMNS
    tables: tuple[str, ...] = ("knowledge_article", "knowledge_articleversion")

    def __init__(self) -> None:
        self._categories: dict[str, Category] = {}

    def check(self, values: Mapping[str, Any], *, source: str = "") -> Checked:
        from yuqi.knowledge.services import clean_content

        errors: list[tuple[str, str]] = []
        record = dict(values)
        try:
            clean_content(_content(values))
        except DomainError as exc:
            errors.append((exc.field or "body", str(exc.message)))
        for name, parse in (("kind", _kind), ("audience", _audience)):
            try:
                parse(values.get(name))
            except DomainError as exc:
                errors.append((name, str(exc.message)))
        for name in ("effective_from", "review_by"):
            try:
                _date(values.get(name), name)
            except DomainError as exc:
                errors.append((name, str(exc.message)))
        return Checked(None, errors) if errors else Checked(record)

    def key(self, record: Mapping[str, Any]) -> Hashable:
        return str(record.get("title") or "").strip()

    def store(self, records: Sequence[dict[str, Any]]) -> StoreResult:
        result = StoreResult()
        for index, record in enumerate(records):
            try:
                with transaction.atomic():
                    outcome = _import_one(
                        record, by=None, publish=False, categories=self._categories
                    )
            except DomainError as exc:
                result.rejected.append((index, exc.field or "", str(exc.message)))
                continue
            status = {"created": "created", "versioned": "updated"}.get(outcome, "unchanged")
            setattr(result, status, getattr(result, status) + 1)
            result.statuses[index] = status
        return result
