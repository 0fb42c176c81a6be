"""Signals other contexts listen to (ADR 0002).

``complaint_closed(sender, complaint_id, customer_id, owner_id)`` is sent after the closing
transaction commits; surveys sends the post-contact 对事/对人 survey.

``complaint_opened(sender, complaint_id, customer_id)`` is sent after the opening transaction
commits; text mining analyses the new ticket's words.
"""

from __future__ import annotations

from django.dispatch import Signal

complaint_closed = Signal()
complaint_opened = Signal()
