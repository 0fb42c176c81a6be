from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import QuerySet
from django.db.models.query import MAX_GET_RESULTS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from yuqi.core.access import requires
from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.errors import DomainError
from yuqi.core.form_html import form_as_div
from yuqi.core.listing import paginate
from yuqi.core.panels import panels_for
from yuqi.customers.facade import remember_customer
from yuqi.customers.forms import CustomerFilterForm, NewCustomerForm, PhoneLookupForm
from yuqi.customers.models import Customer
from yuqi.customers.presenters import masked, may_see_personal_data, personal_data_for
from yuqi.customers.search_limit import SEARCH_LIMIT_MESSAGE, personal_search_allowed
from yuqi.customers.selectors import (
    PHONE_INPUT_MAX,
    customer_list,
    customers_by_phone,
    whole_phone,
)
from yuqi.customers.services import customer_create_from_call
from yuqi.domain.pii import mask_phone

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
        "form_html": form_as_div(form),
        "page": listing.page,
        "rows": rows,
        "query": listing.query,
        "refused": SEARCH_LIMIT_MESSAGE if refused else "",
    }
    template = "customers/partials/results.html" if request.htmx else "customers/list.html"
    return render(request, template, context)


def _customer_360(*, external_id: str) -> QuerySet[Customer]:
    """The read ``get_object_or_404(Customer.objects.select_related("tier"), ...)`` makes."""
    found = Customer.objects.select_related("tier").filter(external_id=external_id)
    return found.order_by()[:MAX_GET_RESULTS]


#: The 360's customer and tier, compiled once per database (building and compiling the
#: two-table read was about half a millisecond of every 360).
CUSTOMER_360_READ = CompiledRead(
    _customer_360, model=Customer, external_id=Customer._meta.get_field("external_id")
)


def _customer_or_404(external_id: str) -> Customer:
    """What ``get_object_or_404(Customer.objects.select_related("tier"),
    external_id=external_id)`` answers: the kept read's one customer, else the ORM's own
    answer (its 404, read again on that rare path)."""
    found = CUSTOMER_360_READ.objects(external_id=external_id)
    if len(found) == 1:
        return found[0]
    return get_object_or_404(Customer.objects.select_related("tier"), external_id=external_id)


@requires("customers.view_customer")
def customer_detail(request: HttpRequest, external_id: str) -> HttpResponse:
    """The customer 360: profile, tier and value, then the panels other contexts register
    (``core.panels``): contacts, complaints, promises, surveys."""
    customer = _customer_or_404(external_id)
    remember_customer(customer)  # the panels' summaries of this customer, answered
    context = {
        "customer": customer,
        "personal": personal_data_for(customer, request.user, reveal=True),
        "side_panels": panels_for("customer_360_side", customer.pk, request.user),
        "panels": panels_for("customer_360", customer.pk, request.user),
    }
    return render(request, "customers/detail.html", context)


@requires("customers.view_customer")
def customer_lookup(request: HttpRequest) -> HttpResponse:
    """The screen pop: ``?phone=`` (typed on the home page or passed by a CTI link). One
    customer with that number opens their 360; several are listed to choose from; none offers
    to create the customer. Whole-number look-ups count against the hourly allowance of roles
    that see phone numbers masked (``search_limit``)."""
    raw = request.GET.get("phone", "")
    form = PhoneLookupForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "entered": "", "rows": [], "problem": ""}
    if not raw.strip():
        return render(request, "customers/lookup.html", context)
    if len(raw) > PHONE_INPUT_MAX or not (phone := whole_phone(raw)):
        context["problem"] = _("This is not a mainland China phone number.")
        return render(request, "customers/lookup.html", context, status=400)
    personal = may_see_personal_data(request.user)
    context["entered"] = phone if personal else mask_phone(phone)
    if not personal_search_allowed(request.user, phone):
        context["problem"] = SEARCH_LIMIT_MESSAGE
        return render(request, "customers/lookup.html", context, status=429)
    found = customers_by_phone(phone)
    if len(found) == 1:
        return redirect("customers:detail", external_id=found[0].external_id)
    context["rows"] = [{"customer": c, "masked": masked(c)} for c in found]
    if not found and request.user.has_perm("customers.add_customer"):
        context["create_url"] = f"{reverse('customers:new')}?{urlencode({'phone': phone})}"
    return render(request, "customers/lookup.html", context)


@requires("customers.view_customer", "customers.add_customer")
def customer_new(request: HttpRequest) -> HttpResponse:
    """Record a caller the screen pop did not find, then open their 360."""
    initial = {"phone": request.GET.get("phone", "")[:PHONE_INPUT_MAX]}
    form = NewCustomerForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                customer = customer_create_from_call(**form.cleaned_data)
            except DomainError as exc:
                for field, reason in exc.fields or [(exc.field, exc.message)]:
                    form.add_error(field if field in form.fields else None, reason)
            else:
                messages.success(
                    request, _("Customer %(id)s created.") % {"id": customer.external_id}
                )
                return redirect("customers:detail", external_id=customer.external_id)
        status = 400
    return render(request, "customers/new.html", {"form": form}, status=status)
