"""Looking for a person everywhere: every text column of every model, every file of the
data folder (raw bytes, and JSON decoded, since JSON may hide Chinese behind \\u escapes)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from django.apps import apps
from django.db import models

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def database_hits(needles: list[str]) -> list[str]:
    hits = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not names:
            continue
        for row in model._default_manager.values_list("pk", *names).iterator(chunk_size=5000):
            for name, value in zip(names, row[1:], strict=True):
                if value is None or value == "":
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                hits.extend(
                    f"{model._meta.label}.{name} #{row[0]}: {needle}"
                    for needle in needles
                    if needle in text
                )
    return hits


def file_hits(root: Path, needles: list[str]) -> list[str]:
    hits = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        texts = [raw]
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                decoded = raw.decode(encoding)
            except UnicodeDecodeError:
                continue
            texts.append(decoded.encode())
            with contextlib.suppress(UnicodeDecodeError):
                texts.append(decoded.encode().decode("unicode_escape").encode("utf-8", "replace"))
            break
        if path.suffix == ".xlsx":
            texts.append(_xlsx_text(path).encode())
        for needle in needles:
            variants = {needle.encode(), needle.encode("gb18030")}
            if any(v in t for v in variants for t in texts):
                hits.append(f"{path.relative_to(root)}: {needle}")
    return hits


def _xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    )
