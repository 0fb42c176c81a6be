"""The surveys context's calls into other contexts, through their facades only.

Each function imports the facade inside, so surveys works (and its tests run) whether or not
the other context is installed yet, and tests can replace one call with ``monkeypatch``.
"""

from __future__ import annotations

import logging
from datetime import datetime

log = logging.getLogger(__name__)


def send_invitation_message(
    *,
    invitation_id: int,
    customer_id: int,
    channel: str,
    greeting_name: str,
    url: str,
    expires: datetime,
    reminder: bool = False,
) -> bool:
    """Send the survey link through the notifications context; False when it is missing."""
    try:
        from yuqi.notifications.facade import notify_customer
    except ImportError:
        log.warning("notifications context missing: invitation %s not sent", invitation_id)
        return False
    notify_customer(
        customer_id=customer_id,
        template="survey_invitation",
        context={
            "greeting_name": greeting_name,
            "name": salutation(greeting_name),
            "url": url,
            "expires": expires,
            "reminder": reminder,
        },
        subject=f"survey_invitation:{invitation_id}",
        channels=(channel,),
        purpose="survey",
    )
    return True


def customers_refusing_surveys(customer_ids: set[int] | None) -> set[int]:
    """Customers the consent ledger (privacy context) says not to survey."""
    try:
        from yuqi.privacy.facade import refusing_contact
    except ImportError:
        return set()
    return refusing_contact("survey", customer_ids)


def record_survey_opt_out(customer_id: int) -> None:
    """Fold the survey opt-out into the consent ledger (privacy context)."""
    try:
        from yuqi.privacy.facade import record_consent_withdrawal
    except ImportError:
        return
    record_consent_withdrawal(customer_id, "survey", "survey_link")


def salutation(family_name: str) -> str:
    """张 → 张先生/女士 (the survey knows no gender); a Latin name stays as it is."""
    if family_name and "\u3400" <= family_name[0] <= "\u9fff":
        return f"{family_name}先生/女士"
    return family_name


def reopen_complaint_for_recovery(*, complaint_id: int, reason: str) -> bool:
    """Ask the complaints context to reopen a closed ticket for service recovery."""
    try:
        from yuqi.complaints.facade import complaint_reopen_for_recovery
    except ImportError:
        log.warning("complaints context missing: complaint %s not reopened", complaint_id)
        return False
    complaint_reopen_for_recovery(complaint_id=complaint_id, reason=reason, by_id=None)
    return True


def customers_with_complaints() -> set[int] | None:
    """Ids of customers who ever complained, or None when the complaints facade cannot say."""
    try:
        from yuqi.complaints import facade
    except ImportError:
        return None
    finder = getattr(facade, "customers_with_complaints", None)
    if finder is None:
        return None
    return set(finder())
