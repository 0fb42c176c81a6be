"""Suggested articles on the complaint page and the customer 360 (``yuqi.core.panels``).

From the complaint: its category (label, else prediction), the wanted outcomes extracted from
its text, the register's expectations of that category and its complainer type; from the
customer: the categories of their analysed complaints and those expectations. Only articles
the customer's tier may be told about are suggested (no VIP perk for an ordinary customer).
"""

from __future__ import annotations

from typing import Any

from yuqi.core.panels import Panel

VIEW = "knowledge.view_article"


def _allowed(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(VIEW))


def complaint_context(complaint_id: int) -> dict[str, Any]:
    """The expectations' codes from the request's one read of the live expectations, which
    the ticket's known-expectations panel reads too."""
    from yuqi.complaints.facade import complaint_complainer_type, complaint_texts
    from yuqi.insights.facade import customer_expectation_codes_for_categories
    from yuqi.textmining.facade import complaint_expectation_codes, complaint_wanted_outcomes

    text = complaint_texts([complaint_id]).get(complaint_id)
    topics = complaint_expectation_codes(complaint_id)
    return {
        "topics": topics,
        "outcomes": complaint_wanted_outcomes(complaint_id),
        "expectations": customer_expectation_codes_for_categories(topics),
        "complainer_type": complaint_complainer_type(complaint_id),
        "tier": (text.tier or None) if text else None,
        "customer_id": text.customer_id if text else None,
    }


def customer_context(customer_id: int) -> dict[str, Any]:
    from yuqi.customers.facade import customer_refs
    from yuqi.insights.facade import customer_expectation_codes_for_categories
    from yuqi.textmining.facade import customer_expectation_codes

    ref = customer_refs([customer_id]).get(customer_id)
    topics = customer_expectation_codes(customer_id)
    return {
        "topics": topics,
        "outcomes": [],
        "expectations": customer_expectation_codes_for_categories(topics),
        "complainer_type": "",
        "tier": ref.tier_code if ref else None,
        "customer_id": customer_id,
    }


def _panel(found: dict[str, Any], *, complaint_id: int | None) -> Panel | None:
    from yuqi.knowledge.selectors import suggestions

    items = suggestions(
        topics=found["topics"],
        outcomes=found["outcomes"],
        expectations=found["expectations"],
        complainer_type=found["complainer_type"],
        tier=found["tier"],
    )
    if not items:
        return None
    return Panel(
        template="knowledge/panels/suggested.html",
        context={
            "suggestions": items,
            "complaint_id": complaint_id,
            "customer_id": found["customer_id"],
        },
        order=35,
    )


def complaint_articles(complaint_id: int, user: Any) -> Panel | None:
    if not _allowed(user):
        return None
    return _panel(complaint_context(complaint_id), complaint_id=complaint_id)


def customer_articles(customer_id: int, user: Any) -> Panel | None:
    if not _allowed(user):
        return None
    return _panel(customer_context(customer_id), complaint_id=None)
