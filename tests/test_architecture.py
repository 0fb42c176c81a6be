"""The import graph of ``src/yuqi`` has no cycle (issue 13, item 2).

grimp reads every ``import`` statement, including those inside functions, so a cycle hidden by
a function-level import is found too. Imports under ``if TYPE_CHECKING:`` never run and are
left out. No cycle is allowed: complaints and commitments, the last pair, now meet one way
(the ledger signals, complaints receives).
"""

from __future__ import annotations

import grimp
import pytest

#: (packages whose modules may form one cycle together, reason)
ALLOWED_CYCLES: tuple[tuple[frozenset[str], str], ...] = ()


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("yuqi", exclude_type_checking_imports=True)


def import_cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, iteratively)."""
    modules = sorted(m for m in graph.modules if ".migrations" not in m)
    known = set(modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & known) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in modules:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            for offset, target in enumerate(edges[node][position:], start=position):
                if target not in index:
                    work.append((node, offset + 1))
                    work.append((target, 0))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return groups


def _allowed(group: list[str]) -> bool:
    packages = {".".join(module.split(".")[:2]) for module in group}
    return any(packages <= allowed for allowed, _reason in ALLOWED_CYCLES)


def test_no_import_cycle_in_yuqi(graph):
    cycles = [group for group in import_cycles(graph) if not _allowed(group)]
    assert cycles == []


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import():
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    graph.add_import(importer="pkg.c", imported="pkg.a")  # e.g. inside a function
    assert import_cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    graph.remove_import(importer="pkg.c", imported="pkg.a")
    assert import_cycles(graph) == []


def test_the_two_file_cycles_of_the_review_are_gone(graph):
    for first, second in (
        ("yuqi.surveys.analysis_views", "yuqi.surveys.exports"),
        ("yuqi.textmining.services", "yuqi.textmining.tasks"),
        ("yuqi.ingest.columns", "yuqi.ingest.errors"),
    ):
        assert not (graph.chain_exists(first, second) and graph.chain_exists(second, first)), (
            f"{first} and {second} import each other"
        )
