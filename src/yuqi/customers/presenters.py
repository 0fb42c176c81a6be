"""How a customer is shown to a given user: personal data masked unless the user may see it.

Showing it unmasked is recorded in the audit log (one entry per customer per view).
"""

from __future__ import annotations

from typing import Any

from yuqi.customers.models import Customer
from yuqi.customers.services import customer_personal_data_revealed
from yuqi.domain.pii import mask_email, mask_id_number, mask_phone

PERSONAL_FIELDS = ("phone", "email", "id_number")
PERMISSION = "customers.view_personal_data"


def may_see_personal_data(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(PERMISSION))


def masked(customer: Customer) -> dict[str, str]:
    return {
        "phone": mask_phone(customer.phone) if customer.phone else "",
        "email": mask_email(customer.email) if customer.email else "",
        "id_number": mask_id_number(customer.id_number) if customer.id_number else "",
    }


def personal_data_for(customer: Customer, user: Any, *, reveal: bool) -> dict[str, Any]:
    """The personal fields as this user may see them; ``reveal`` asks for them unmasked."""
    if reveal and may_see_personal_data(user):
        customer_personal_data_revealed(customer=customer)
        return {**{name: getattr(customer, name) for name in PERSONAL_FIELDS}, "masked": False}
    return {**masked(customer), "masked": True}
