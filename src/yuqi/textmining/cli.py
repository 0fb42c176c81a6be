"""``yuqi text evaluate FILE``: judge the product's text classifier on any labelled file.

Stratified k-fold cross-validation of exactly the pipeline the product trains
(``yuqi.domain.text.classifier``), printing accuracy, macro-F1 and per-label precision,
recall, F1 and support; ``--json`` prints one JSON object (``accuracy``, ``macro_f1``,
``per_label``, ``n``, plus ``folds`` and ``notes``).

No Django set-up: the command reads the file and runs pure modules only, so it starts fast
and needs no database. The file is sniffed as ``yuqi import`` sniffs it (:mod:`yuqi.ingest.sniff`):
format by content, with the workbook limits (a ZIP bomb is refused before openpyxl expands
it); encoding by byte-order mark, else UTF-8, else GB18030; delimiter comma, tab or
semicolon. Its refusals are worded in English (no translation catalogue without Django).
``.xlsx`` workbooks are read with openpyxl (first sheet, first row = headers). Exit status:
0 done, 2 unreadable file or missing column, 1 when the data cannot be evaluated (fewer than
two labels).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

from yuqi.imports.messages import render_english
from yuqi.ingest.errors import UnreadableFile
from yuqi.ingest.limits import DEFAULT_LIMITS
from yuqi.ingest.sniff import SAMPLE_BYTES, detect_encoding, sniff_delimiter, sniff_format

__all__ = ["read_labelled", "register"]


class FileProblem(Exception):
    """The file cannot be read, or lacks a named column."""


def _words(exc: UnreadableFile) -> str:
    return render_english(exc.problem) if exc.problem is not None else str(exc)


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, "rb") as handle:
        encoding = detect_encoding(handle)
        handle.seek(0)
        data = handle.read()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise FileProblem(f"not {encoding} throughout: byte {exc.start} cannot be decoded") from exc
    text = text.removeprefix("\ufeff")
    delimiter = sniff_delimiter(text[:SAMPLE_BYTES])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        raise FileProblem("the file is empty")
    return [cell.strip() for cell in rows[0]], rows[1:]


def _xlsx_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise FileProblem(f"damaged workbook ({exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = [
            ["" if cell is None else str(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
            if any(cell not in (None, "") for cell in row)
        ]
    finally:
        workbook.close()
    if not rows:
        raise FileProblem("the workbook's first sheet is empty")
    return [cell.strip() for cell in rows[0]], rows[1:]


def read_labelled(path: Path, text_col: str, label_col: str) -> tuple[list[str], list[str]]:
    """Texts and labels of a CSV or XLSX file; rows with an empty text or label are skipped."""
    try:
        if sniff_format(path, DEFAULT_LIMITS) == "xlsx":
            headers, rows = _xlsx_rows(path)
        else:
            headers, rows = _csv_rows(path)
    except UnreadableFile as exc:
        raise FileProblem(_words(exc)) from exc
    missing = [name for name in (text_col, label_col) if name not in headers]
    if missing:
        raise FileProblem(
            f"no column {', '.join(repr(m) for m in missing)}; the columns are: "
            + ", ".join(repr(h) for h in headers)
        )
    text_at, label_at = headers.index(text_col), headers.index(label_col)
    texts: list[str] = []
    labels: list[str] = []
    for row in rows:
        text = row[text_at].strip() if text_at < len(row) else ""
        label = row[label_at].strip() if label_at < len(row) else ""
        if text and label:
            texts.append(text)
            labels.append(label)
    return texts, labels


def _print_table(result: dict) -> None:
    print(f"texts: {result['n']:,}   folds: {result['folds']}")
    print(f"accuracy: {result['accuracy']:.4f}   macro-F1: {result['macro_f1']:.4f}")
    width = max([len("label"), *(len(label) for label in result["per_label"])])
    print(f"{'label':<{width}}  precision  recall     F1  support")
    for label, score in result["per_label"].items():
        print(
            f"{label:<{width}}  {score['precision']:9.4f}  {score['recall']:6.4f}  "
            f"{score['f1']:5.4f}  {score['support']:7,}"
        )
    for note in result["notes"]:
        print(f"note: {note}")


def cmd_evaluate(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"error: {path}: no such file", file=sys.stderr)
        return 2
    try:
        texts, labels = read_labelled(path, args.text_col, args.label_col)
    except FileProblem as exc:
        print(f"error: {path.name}: {exc}", file=sys.stderr)
        return 2
    from yuqi.domain.text.classifier import cross_validate

    try:
        evaluation = cross_validate(
            texts, labels, folds=args.folds, seed=args.seed, features=args.features
        )
    except ValueError as exc:
        print(f"error: {path.name}: {exc}", file=sys.stderr)
        return 1
    result = evaluation.to_dict()
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        _print_table(result)
    return 0


def register(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add ``yuqi text …`` to the ``yuqi`` command (see ``yuqi.cli.COMMAND_MODULES``)."""
    text = add("text", "text analytics tools (classifier evaluation)")
    sub = text.add_subparsers(dest="text_command", metavar="TOOL", required=True)
    evaluate = sub.add_parser(
        "evaluate",
        help="cross-validate the expectation classifier on a labelled CSV/XLSX file",
        description="Stratified k-fold cross-validation of the product's text classifier.",
    )
    evaluate.add_argument("file", help="a .csv (UTF-8, UTF-8 with BOM, GBK) or .xlsx file")
    evaluate.add_argument("--text-col", required=True, help="the column holding the text")
    evaluate.add_argument("--label-col", required=True, help="the column holding the label")
    evaluate.add_argument("--folds", type=int, default=5, help="number of folds (default 5)")
    evaluate.add_argument("--seed", type=int, default=0, help="shuffling seed (default 0)")
    evaluate.add_argument(
        "--features",
        choices=("chars", "jieba"),
        default="chars",
        help="chars: character n-grams, the product's (default); jieba: jieba words + character "
        "bigrams (model format 1), to see whether words win on your labels",
    )
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(func=cmd_evaluate)
