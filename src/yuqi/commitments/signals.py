"""Signals other contexts listen to (ADR 0002): the ledger says what happened to a promise and
never calls the contexts that care about it.

``commitment_changed(sender, complaint_id, parameters, by_id)`` is sent, inside the ledger's
transaction, for each step of a promise made on a complaint (``parameters["action"]`` is
``made``, ``approved``, ``rejected``, ``fulfilled``, ``renegotiated``, ``cancelled`` or
``broken``); complaints writes it on the ticket's timeline.

``commitment_broken(sender, commitment_id, customer_id)`` is sent when a promise breaks (linked to
a complaint or not); complaints rescores the customer's escalation risk.
"""

from __future__ import annotations

from django.dispatch import Signal

commitment_changed = Signal()
commitment_broken = Signal()
