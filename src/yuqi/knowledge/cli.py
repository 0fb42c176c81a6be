"""``yuqi knowledge``: seed, import, search and re-index the knowledge base.

    yuqi knowledge seed                      install the starter content (idempotent)
    yuqi knowledge import FILE|FOLDER [--publish]
    yuqi knowledge search QUERY [--limit N] [--json] [--public]
    yuqi knowledge reindex

``search --json`` prints a list of ``{"id", "title", "score"}``, best first (an empty query
gives ``[]``). Exit codes: 0 done, 1 an import had rows in error, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TextIO

__all__ = ["register", "run_import", "run_reindex", "run_search", "run_seed"]


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from exc
    if not 1 <= value <= 50:
        raise argparse.ArgumentTypeError(f"must be between 1 and 50, got {value}")
    return value


def register(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    parser = add("knowledge", "knowledge base: seed, import, search")
    sub = parser.add_subparsers(dest="knowledge_command", metavar="ACTION", required=True)

    seed = sub.add_parser("seed", help="install the starter articles, categories and synonyms")
    seed.add_argument("--data-dir", default=argparse.SUPPRESS, help="data folder")
    seed.set_defaults(func=run_seed)

    imp = sub.add_parser("import", help="import articles from CSV/XLSX or a Markdown folder")
    imp.add_argument("--data-dir", default=argparse.SUPPRESS, help="data folder")
    imp.add_argument("path", metavar="FILE", help="CSV/XLSX file or folder of .md files")
    imp.add_argument("--publish", action="store_true", help="publish at once (no review)")
    imp.set_defaults(func=run_import)

    search = sub.add_parser("search", help="search published articles")
    search.add_argument("--data-dir", default=argparse.SUPPRESS, help="data folder")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--limit", type=_limit, default=10, metavar="N")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--public", action="store_true", help="only what the help centre shows")
    search.set_defaults(func=run_search)

    reindex = sub.add_parser("reindex", help="rebuild the search index")
    reindex.add_argument("--data-dir", default=argparse.SUPPRESS, help="data folder")
    reindex.set_defaults(func=run_reindex)


def _setup(args: argparse.Namespace, *, migrate: bool = False) -> None:
    setup = getattr(args, "setup", None)
    if setup is not None:  # else the caller has set Django up (tests)
        setup(getattr(args, "data_dir", None))
        bring_up_to_date = getattr(args, "migrate", None)
        if migrate and bring_up_to_date is not None:
            bring_up_to_date()


def run_seed(args: argparse.Namespace, *, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    _setup(args, migrate=True)
    from yuqi.knowledge.seed import seed_all

    counts = seed_all()
    print(json.dumps(counts, ensure_ascii=False), file=out)
    return 0


def run_import(
    args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    from pathlib import Path

    path = Path(args.path)
    if not path.exists():
        print(f"error: no such file or folder: {path}", file=err)
        return 2
    _setup(args, migrate=True)
    from django.utils import translation

    from yuqi.core.errors import DomainError
    from yuqi.knowledge.importing import import_articles

    with translation.override("en"):
        try:
            result = import_articles(path, publish=args.publish)
        except DomainError as exc:
            print(f"error: {exc.message}", file=err)
            return 2
    print(
        f"created {result.created}, new versions {result.versioned}, "
        f"unchanged {result.unchanged}, errors {len(result.errors)}",
        file=out,
    )
    for where, message in result.errors[:50]:
        print(f"  {where}: {message}", file=err)
    return 1 if result.errors else 0


def run_search(args: argparse.Namespace, *, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    _setup(args)
    from yuqi.knowledge.choices import SearchChannel
    from yuqi.knowledge.selectors import hits, ranking
    from yuqi.knowledge.services import search_log

    result = ranking(args.query, limit=args.limit, public=args.public)
    search_log(
        query=args.query, channel=SearchChannel.CLI, results=result.results, quality=result.quality
    )
    found = hits(result.results)
    if args.json:
        rows = [{"id": h.id, "title": h.title, "score": h.score} for h in found]
        print(json.dumps(rows, ensure_ascii=False), file=out)
    else:
        for h in found:
            print(f"{h.score:8.3f}  #{h.id}  {h.title}", file=out)
        if not found:
            print("no result", file=out)
    return 0


def run_reindex(args: argparse.Namespace, *, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    _setup(args)
    from yuqi.knowledge.services import reindex_all

    print(f"indexed {reindex_all()} articles", file=out)
    return 0
