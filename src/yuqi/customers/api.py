from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from yuqi.core.api_access import api_requires, caller
from yuqi.customers import services
from yuqi.customers.importing import CustomerImporter
from yuqi.customers.models import Customer
from yuqi.customers.presenters import may_see_personal_data, personal_data_for
from yuqi.customers.schemas import CustomerDetailOut, CustomerIn, CustomerOut, CustomerPatch
from yuqi.customers.search_limit import SEARCH_LIMIT_MESSAGE, personal_search_allowed
from yuqi.customers.selectors import CustomerFilter, customer_list
from yuqi.imports.bulk import bulk_load
from yuqi.imports.schemas import BulkIn, BulkOut, bulk_out

router = Router(tags=["customers"])


class CustomerFilterIn(Schema):
    q: str = ""
    tier: str = ""
    segment: str = ""
    region: str = ""
    status: str = ""


def detail(customer: Customer, request: HttpRequest) -> dict:
    personal = personal_data_for(customer, caller(request), reveal=True)
    return {
        "external_id": customer.external_id,
        "name": customer.name,
        "phone": personal["phone"],
        "email": personal["email"],
        "id_number": personal["id_number"],
        "personal_data_masked": personal["masked"],
        "region": customer.region,
        "tier": customer.tier.code if customer.tier else None,
        "segment": customer.segment,
        "monthly_value": customer.monthly_value,
        "joined_on": customer.joined_on,
        "status": customer.status,
        "updated_at": customer.updated_at,
    }


@router.get("/customers", response=list[CustomerOut])
@paginate
@api_requires("customers.view_customer")
def customers(request: HttpRequest, filters: Query[CustomerFilterIn]) -> QuerySet[Customer]:
    """Customers, searchable by name, customer id, the phone's last 4 digits or a whole phone,
    ID number or e-mail address; personal data masked. Roles without
    `customers.view_personal_data` get 429 after too many whole-number look-ups in an hour."""
    user = caller(request)
    if not personal_search_allowed(user, filters.q):
        raise HttpError(429, str(SEARCH_LIMIT_MESSAGE))
    return customer_list(
        CustomerFilter(**filters.dict()), personal_data=may_see_personal_data(user)
    )


@router.post("/customers/bulk", response=BulkOut)
@api_requires("customers.add_customer", "customers.change_customer")
def customers_bulk(request: HttpRequest, payload: BulkIn) -> dict:
    """Create or update up to 5,000 customers by customer id; a result for every item."""
    return bulk_out(bulk_load(CustomerImporter(), payload.items))


# (bulk comes before the {external_id} routes, which would otherwise match "bulk")
@router.get("/customers/{external_id}", response=CustomerDetailOut)
@api_requires("customers.view_customer")
def customer(request: HttpRequest, external_id: str) -> dict:
    """One customer; personal data unmasked for roles that may see it (audited)."""
    found = get_object_or_404(Customer.objects.select_related("tier"), external_id=external_id)
    return detail(found, request)


@router.post("/customers", response={201: CustomerDetailOut})
@api_requires("customers.add_customer")
def customer_create(request: HttpRequest, payload: CustomerIn) -> Status:
    created = services.customer_create(values=payload.dict(exclude_unset=True))
    return Status(201, detail(created, request))


@router.patch("/customers/{external_id}", response=CustomerDetailOut)
@api_requires("customers.change_customer")
def customer_update(request: HttpRequest, external_id: str, payload: CustomerPatch) -> dict:
    found = get_object_or_404(Customer, external_id=external_id)
    updated = services.customer_update(customer=found, changes=payload.dict(exclude_unset=True))
    return detail(updated, request)
