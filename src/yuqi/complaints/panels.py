"""The complaints panel on the customer 360: the customer's open tickets with live clocks.

Registered on import (``apps.py`` ``ready()`` imports this module); the provider answers None
for a user who may not see complaints, so the slot stays empty for them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import Subquery
from django.urls import reverse

from yuqi.complaints.models import Complaint, ComplaintLevel
from yuqi.complaints.queries import QUEUE_ROW_VALUES, queue_rows, ticket_url
from yuqi.complaints.selectors import QueueFilter, complaint_queue
from yuqi.core import clock
from yuqi.core.panels import Panel, register_panel

PERMISSION = "complaints.view_complaint"
LIMIT = 20


def customer_open_complaints(customer_id: int, user: Any) -> Panel | None:
    """Provider for ``customer_360``: open complaints, most urgent first."""
    if not (user and user.is_authenticated and user.has_perm(PERMISSION)):
        return None
    moment = clock.now()
    tickets = open_tickets(customer_id, moment)
    top_rank = tickets[0]["top_rank"] if tickets else None  # read with the rows
    rows = queue_rows(tickets, now=moment, url=ticket_url(), top_rank=top_rank)
    new_url = ""
    if user.has_perm("complaints.add_complaint") and tickets:
        new_url = reverse("complaints:new") + f"?customer={tickets[0]['customer__external_id']}"
    elif user.has_perm("complaints.add_complaint"):
        from yuqi.customers.facade import customer_refs

        ref = customer_refs([customer_id]).get(customer_id)
        if ref is not None:
            new_url = reverse("complaints:new") + f"?customer={ref.external_id}"
    return Panel(
        template="complaints/panels/customer_open.html",
        context={"rows": rows, "new_url": new_url},
        order=10,
    )


def _queryset(customer_id: int, moment: dt.datetime) -> Any:
    """The customer's open tickets as the work queue orders them (``complaint_queue``), as
    queue-row values with the top level's rank read with them."""
    filters = QueueFilter(state="open", customer_id=customer_id)
    top = ComplaintLevel.objects.order_by("-rank").values("rank")[:1]
    return (
        complaint_queue(filters=filters, now=moment)
        .annotate(top_rank=Subquery(top))
        .values(*QUEUE_ROW_VALUES, "top_rank")[:LIMIT]
    )


#: The customer and the moment the read is compiled with, found again among its parameters and
#: replaced on each read (no customer has a negative id; no ticket is due in 1971).
_PROBE_CUSTOMER = -7_340_077
_PROBE_MOMENT = dt.datetime(1971, 3, 5, 7, 9, 11, 131_517, tzinfo=dt.UTC)


@dataclass(frozen=True)
class _OpenRead:
    """The panel's read compiled by the ORM once: its SQL, its parameters with the probes'
    places, the values' names and the columns' converters."""

    sql: str
    params: tuple[Any, ...]
    customer_slot: int
    moment_slot: int
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]


#: (database alias, vendor) → the compiled read, or None where it did not compile as expected
#: (the ORM's own read is used then).
_READS: dict[tuple[str, str], _OpenRead | None] = {}


def _customer_value(customer_id: int, connection: Any) -> Any:
    return Complaint._meta.get_field("customer").get_db_prep_value(customer_id, connection)


def _moment_value(moment: dt.datetime, connection: Any) -> Any:
    return Complaint._meta.get_field("next_due_at").get_db_prep_value(moment, connection)


def _compile(alias: str) -> _OpenRead | None:
    connection = connections[alias]
    query = _queryset(_PROBE_CUSTOMER, _PROBE_MOMENT).using(alias).query
    compiler = query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    params = tuple(params)
    customer = _customer_value(_PROBE_CUSTOMER, connection)
    moment = _moment_value(_PROBE_MOMENT, connection)
    customer_slots = [i for i, value in enumerate(params) if value == customer]
    moment_slots = [i for i, value in enumerate(params) if value == moment]
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    columns = [column[0] for column in compiler.select[: compiler.col_count]]
    if len(customer_slots) != 1 or len(moment_slots) != 1 or len(names) != len(columns):
        return None
    converters = compiler.get_converters(columns)
    return _OpenRead(
        sql=sql,
        params=params,
        customer_slot=customer_slots[0],
        moment_slot=moment_slots[0],
        names=names,
        converters=tuple((pos, tuple(convs), expr) for pos, (convs, expr) in converters.items()),
    )


def open_tickets(customer_id: int, moment: dt.datetime) -> list[dict[str, Any]]:
    """What ``list(_queryset(customer_id, moment))`` answers, from the statement the ORM
    compiled once per database (building and compiling this seven-table read was about a
    third of the panel's CPU on every 360): the same SQL, parameters, rows and converters."""
    alias = router.db_for_read(Complaint)
    connection = connections[alias]
    key = (alias, connection.vendor)
    if key not in _READS:
        _READS[key] = _compile(alias)
    read = _READS[key]
    if read is None:
        return list(_queryset(customer_id, moment).using(alias))
    params = list(read.params)
    params[read.customer_slot] = _customer_value(customer_id, connection)
    params[read.moment_slot] = _moment_value(moment, connection)
    with connection.cursor() as cursor:
        cursor.execute(read.sql, params)
        found = cursor.fetchall()
    rows = []
    for fetched in found:
        row = list(fetched)
        for pos, convs, expression in read.converters:
            value = row[pos]
            for convert in convs:
                value = convert(value, expression, connection)
            row[pos] = value
        rows.append(dict(zip(read.names, row, strict=True)))
    return rows


register_panel("customer_360", "complaints", customer_open_complaints)
