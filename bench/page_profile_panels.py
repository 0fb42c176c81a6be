"""bench/page_profile.py with extra ticket pages whose panels take other branches (a quoted
promise with and without ledger lines, a handler's label, a ticket judged unreasonable or spam,
one without an analysis, a closed one). Same arguments; for the before/after HTML dumps."""

from __future__ import annotations

import sys

sys.path.insert(0, "/work/main/bench")
import page_profile as pp

_pages = pp.pages


def pages() -> dict[str, str]:
    from yuqi.commitments.models import Commitment
    from yuqi.complaints.models import Complaint
    from yuqi.textmining.models import ComplaintAnalysis, ComplaintLabel

    found = _pages()

    def add(name: str, complaint_id: int | None) -> None:
        if complaint_id is not None:
            number = Complaint.objects.filter(pk=complaint_id).values_list("number", flat=True)
            found[name] = f"/complaints/{number[0]}/"

    promised = ComplaintAnalysis.objects.exclude(quoted_promise={}).exclude(quoted_promise=None)
    ledger = set(
        Commitment.objects.exclude(complaint_id=None).values_list("complaint_id", flat=True)
    )
    ids = list(promised.order_by("complaint_id").values_list("complaint_id", flat=True))
    add("ticket, promise in ledger", next((i for i in ids if i in ledger), None))
    add("ticket, promise not in ledger", next((i for i in ids if i not in ledger), None))
    for corrected in (True, False):
        add(
            f"ticket, label corrected={corrected}",
            ComplaintLabel.objects.filter(corrected=corrected)
            .order_by("complaint_id")
            .values_list("complaint_id", flat=True)
            .first(),
        )
    add(
        "ticket, unreasonable",
        ComplaintAnalysis.objects.filter(reasonable__unreasonable=True)
        .order_by("complaint_id")
        .values_list("complaint_id", flat=True)
        .first(),
    )
    add(
        "ticket, spam",
        ComplaintAnalysis.objects.exclude(reasonable__spam=[])
        .filter(reasonable__has_key="spam")
        .order_by("complaint_id")
        .values_list("complaint_id", flat=True)
        .first(),
    )
    add(
        "ticket, not analysed",
        Complaint.objects.filter(text_analysis__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first(),
    )
    add(
        "ticket, closed",
        Complaint.objects.filter(closed_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first(),
    )
    return found


pp.pages = pages
if __name__ == "__main__":
    raise SystemExit(pp.main())
