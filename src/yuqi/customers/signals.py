"""Signals the customers context sends (docs/adr/0002: contexts meet through facades and
signals).

``customers_written``: a bulk write of customers (an import batch) stored changes to existing
customers, which ``save()`` signals do not report. Sent on the writing connection, inside its
transaction, with ``external_ids`` (the batch's customers) and ``fields`` (the model fields the
batch carried, e.g. ``tier_id``), so a receiver can bring its own copies up to date in one
set-based statement.
"""

from __future__ import annotations

from django.dispatch import Signal

customers_written = Signal()
