"""Helpers every context's export and erasure functions share (re-exported by the facade).

A *holding* is one model's rows about a customer: the model, the lookup from the model to the
customer's key (``customer_id``, ``complaint__customer_id``…) and the fields that hold
personal data or free text. Exporting lists those rows; erasing passes the fields through
:func:`yuqi.domain.erasure.erase_value` with ``QuerySet.update`` (no ``save()``: neither
signals nor the audit log see the old values again, and no counted field moves).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import models

from yuqi.domain.erasure import ERASED, Identifiers, erase_text, erase_value, mentions

__all__ = [
    "ERASED",
    "Holding",
    "delete_file",
    "erase_holdings",
    "erase_in_file",
    "erase_rows",
    "erase_rows_mentioning",
    "export_holdings",
    "jsonable",
]

CHUNK = 2000


@dataclass(frozen=True)
class Holding:
    model: type[models.Model]
    lookup: str  # e.g. "customer_id" or "complaint__customer_id"
    fields: tuple[str, ...]  # personal or free-text fields, erased in place
    export_fields: tuple[str, ...] = ()  # more fields shown in the export (dates, states…)
    clear: tuple[str, ...] = ()  # fields set to "" outright (addresses, greeting names)

    def rows(self, customer_id: int) -> models.QuerySet[Any]:
        return self.model._default_manager.filter(**{self.lookup: customer_id}).order_by("pk")


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def export_holdings(customer_id: int, holdings: Iterable[Holding]) -> list[dict[str, Any]]:
    """Every row of every holding as ``{"table": …, "id": …, field: value…}``."""
    records: list[dict[str, Any]] = []
    for holding in holdings:
        names = list(dict.fromkeys((*holding.export_fields, *holding.clear, *holding.fields)))
        table = holding.model._meta.label
        for row in holding.rows(customer_id).values("pk", *names):
            record = {"table": table, "id": row.pop("pk")}
            record.update({key: jsonable(value) for key, value in row.items()})
            records.append(record)
    return records


def erase_rows(
    rows: models.QuerySet[Any],
    who: Identifiers,
    fields: Sequence[str],
    *,
    clear: Sequence[str] = (),
    only_mentioning: bool = False,
) -> int:
    """Erase ``who`` (and every personal number) from ``fields`` of ``rows``; set ``clear``
    to "". With ``only_mentioning``, rows that hold none of ``who``'s identifiers are left as
    they are (a scan of a shared table: other people's numbers stay). Returns rows changed."""
    model = rows.model
    changed = 0
    names = list(dict.fromkeys((*fields, *clear)))
    for row in rows.values("pk", *names).iterator(chunk_size=CHUNK):
        if only_mentioning and not mentions(_texts(row, fields), who):
            continue
        updates: dict[str, Any] = {}
        for name in fields:
            value = row[name]
            if value is None:
                continue
            new = erase_value(value, who)
            if new != value:
                updates[name] = new
        for name in clear:
            if row[name]:
                updates[name] = {} if isinstance(row[name], dict) else ""
        if updates:
            model._default_manager.filter(pk=row["pk"]).update(**updates)
            changed += 1
    return changed


def _texts(row: dict[str, Any], fields: Sequence[str]) -> list[str]:
    texts = []
    for name in fields:
        value = row[name]
        if isinstance(value, str):
            texts.append(value)
        elif value is not None:
            texts.append(json.dumps(value, ensure_ascii=False))
    return texts


def erase_rows_mentioning(
    rows: models.QuerySet[Any], who: Identifiers, fields: Sequence[str]
) -> int:
    return erase_rows(rows, who, fields, only_mentioning=True)


def erase_holdings(customer_id: int, who: Identifiers, holdings: Iterable[Holding]) -> int:
    return sum(erase_rows(h.rows(customer_id), who, h.fields, clear=h.clear) for h in holdings)


TEXT_SUFFIXES = {".csv", ".txt", ".json", ".jsonl", ".log", ".eml", ".tsv", ".md"}


def erase_in_file(path: Path, who: Identifiers) -> bool:
    """Rewrite one file of the data folder without ``who``: text files (UTF-8, GB18030) have
    each line that mentions the person passed through :func:`erase_text`; a CSV keeps its
    shape; ``.xlsx`` workbooks have each cell that mentions the person erased. Returns whether
    the file changed. The new content replaces the old atomically, with the old mode."""
    if not path.is_file():
        return False
    if path.suffix.lower() == ".xlsx":
        return _erase_in_xlsx(path, who)
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    if not mentions([text], who):
        return False
    lines = text.splitlines(keepends=True)
    out = [erase_text(line, who) if mentions([line], who) else line for line in lines]
    if path.suffix.lower() in {".jsonl", ".json"}:
        out = [_erase_json_line(line, who) for line in out]
    _replace(path, "".join(out).encode("utf-8" if encoding == "utf-8-sig" else encoding))
    return True


def _erase_json_line(line: str, who: Identifiers) -> str:
    """JSON written with ``\\uXXXX`` escapes hides a Chinese name from a text search."""
    try:
        value = json.loads(line)
    except ValueError:
        return line
    if not mentions([json.dumps(value, ensure_ascii=False)], who):
        return line
    ending = "\n" if line.endswith("\n") else ""
    return json.dumps(erase_value(value, who), ensure_ascii=False) + ending


def _erase_in_xlsx(path: Path, who: Identifiers) -> bool:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path)
    except Exception:
        return False
    changed = False
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and mentions([cell.value], who):
                    cell.value = erase_text(cell.value, who)
                    changed = True
                elif isinstance(cell.value, int) and mentions([str(cell.value)], who):
                    cell.value = ERASED
                    changed = True
    if changed:
        buffer = io.BytesIO()
        book.save(buffer)
        _replace(path, buffer.getvalue())
    return changed


def delete_file(path: Path) -> bool:
    """Delete one stored file (an upload or an attachment) whose content is the person's: its
    bytes are overwritten with zeros first, so the old content is not left in the freed blocks
    of a plain file system (copy-on-write file systems and SSDs may still keep it). Returns
    whether a file was there. A failure to overwrite still deletes the file."""
    if not path.is_file():
        return False
    with contextlib.suppress(OSError), path.open("r+b") as handle:
        left = path.stat().st_size
        while left > 0:
            step = min(left, 1024 * 1024)
            handle.write(bytes(step))
            left -= step
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink(missing_ok=True)
    return True


def _replace(path: Path, content: bytes) -> None:
    mode = path.stat().st_mode & 0o777
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".erase-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
