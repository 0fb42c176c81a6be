"""The customer record in personal-information requests: exported whole; erased by
replacing the name and clearing the numbers (the row, its tier, region, segment and value stay,
so every count and breakdown keeps it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yuqi.customers.models import Customer
from yuqi.privacy.facade import (
    ERASED,
    DataSubject,
    Erased,
    Holding,
    export_holdings,
    register_personal_data_source,
)

HOLDING = Holding(
    Customer,
    "pk",
    ("name",),
    export_fields=(
        "external_id",
        "region",
        "tier__code",
        "segment",
        "monthly_value",
        "joined_on",
        "status",
        "created_at",
    ),
    clear=("phone", "email", "id_number"),
)


def export(subject: DataSubject) -> list[dict]:
    return export_holdings(subject.customer_id, [HOLDING])


def erase(subject: DataSubject) -> Erased:
    rows = Customer.objects.filter(pk=subject.customer_id).update(
        name=ERASED, phone="", phone_tail="", email="", id_number=""
    )
    return Erased(rows)


def register() -> None:
    register_personal_data_source(
        "customers",
        export,
        erase,
        label=_("Customer record"),
        purpose=_("Identify the customer and serve them by tier"),
        categories=_("name, phone, e-mail, ID number, region, tier, value"),
        order=900,
    )
