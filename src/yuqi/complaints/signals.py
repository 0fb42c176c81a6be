"""Signals other contexts listen to (ADR 0002).

``complaint_closed(sender, complaint_id, customer_id, owner_id)`` is sent after the closing
transaction commits; surveys sends the post-contact 对事/对人 survey.
"""

from __future__ import annotations

from django.dispatch import Signal

complaint_closed = Signal()
