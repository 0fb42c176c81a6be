from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from yuqi.core.access import requires
from yuqi.core.listing import paginate
from yuqi.core.panels import panels_for
from yuqi.customers.forms import CustomerFilterForm
from yuqi.customers.models import Customer
from yuqi.customers.presenters import masked, may_see_personal_data, personal_data_for
from yuqi.customers.search_limit import SEARCH_LIMIT_MESSAGE, personal_search_allowed
from yuqi.customers.selectors import customer_list

PAGE_SIZE = 50


@requires("customers.view_customer")
def customer_index(request: HttpRequest) -> HttpResponse:
    form = CustomerFilterForm(request.GET or None)
    filters = form.to_filter()
    refused = not personal_search_allowed(request.user, filters.q)
    if refused:
        found = Customer.objects.none()
    else:
        found = customer_list(filters, personal_data=may_see_personal_data(request.user))
    listing = paginate(request, found, PAGE_SIZE)
    rows = [{"customer": c, "masked": masked(c)} for c in listing.page.object_list]
    context = {
        "form": form,
        "page": listing.page,
        "rows": rows,
        "query": listing.query,
        "refused": SEARCH_LIMIT_MESSAGE if refused else "",
    }
    template = "customers/partials/results.html" if request.htmx else "customers/list.html"
    return render(request, template, context)


@requires("customers.view_customer")
def customer_detail(request: HttpRequest, external_id: str) -> HttpResponse:
    """The customer 360: profile, tier and value, then the panels other contexts register
    (``core.panels``): contacts, complaints, promises, surveys."""
    customer = get_object_or_404(Customer.objects.select_related("tier"), external_id=external_id)
    context = {
        "customer": customer,
        "personal": personal_data_for(customer, request.user, reveal=True),
        "side_panels": panels_for("customer_360_side", customer.pk, request.user),
        "panels": panels_for("customer_360", customer.pk, request.user),
    }
    return render(request, "customers/detail.html", context)
