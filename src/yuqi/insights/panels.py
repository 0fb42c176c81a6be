"""Agent-facing panels: the customer's (or ticket's) known expectations, with the guidance
script to use for C-grade ones ([seed-003]: 为客户设定期望值, 告诉客户哪些能得到、哪些不能)."""

from __future__ import annotations

from typing import Any

from yuqi.core.panels import Panel, register_panel

PERMISSION = "insights.view_expectations"
LIMIT = 8


def _known(codes: list[str]) -> list[dict[str, Any]]:
    """The live expectations matching the codes, each with its guidance where it is C-grade,
    from the request's one read that the suggested articles use too
    (``facade.live_expectations_with_guidance``, the customer 360 and the ticket)."""
    from yuqi.insights.expectations import _matches
    from yuqi.insights.facade import live_expectations_with_guidance

    if not codes:
        return []
    rows = live_expectations_with_guidance()
    out, seen = [], set()
    for code in codes:
        for row in rows:
            if row.pk in seen or not _matches(row.category, code):
                continue
            seen.add(row.pk)
            guidance = row.guidance if row.grade == "C" else None
            out.append({"expectation": row, "guidance": guidance})
    return out[:LIMIT]


def _panel(codes_of: Any, subject_id: int, user: Any) -> Panel | None:
    if not (user and user.is_authenticated and user.has_perm(PERMISSION)):
        return None
    try:
        codes = codes_of(subject_id)
    except ImportError:
        return None
    known = _known(list(codes))
    if not known:
        return None
    return Panel(
        template="insights/panels/known_expectations.html",
        context={"known": known, "may_open": user.has_perm("insights.view_insights")},
        order=40,
    )


def _customer_codes(customer_id: int) -> list[str]:
    from yuqi.textmining.facade import customer_expectation_codes

    return customer_expectation_codes(customer_id)


def _complaint_codes(complaint_id: int) -> list[str]:
    """The ticket's own category first, then the customer's known ones (their other
    complaints): the guidance the agent on the ticket needs."""
    from yuqi.textmining.facade import complaint_and_customer_expectation_codes

    return complaint_and_customer_expectation_codes(complaint_id)


def customer_expectations(customer_id: int, user: Any) -> Panel | None:
    return _panel(_customer_codes, customer_id, user)


def complaint_expectations(complaint_id: int, user: Any) -> Panel | None:
    return _panel(_complaint_codes, complaint_id, user)


register_panel("customer_360", "expectations", customer_expectations)
register_panel("complaint", "expectations", complaint_expectations)
