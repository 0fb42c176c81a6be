"""Signal receivers: thin, they only call services, and never break the sender."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)


def on_complaint_closed(
    sender: Any, complaint_id: int, customer_id: int, owner_id: int | None = None, **kwargs: Any
) -> None:
    """A complaint closed: send the post-contact 对事/对人 survey (frequency rules apply).

    Runs in a savepoint and logs instead of raising: a survey problem must not stop a
    complaint from closing.
    """
    from yuqi.surveys.post_contact import post_contact_invite_for_complaint

    try:
        with transaction.atomic():
            post_contact_invite_for_complaint(
                complaint_id=complaint_id, customer_id=customer_id, owner_id=owner_id
            )
    except Exception:
        log.exception("post-contact survey for complaint %s failed", complaint_id)
