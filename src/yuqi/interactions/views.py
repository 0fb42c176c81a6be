from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from yuqi.core.access import requires
from yuqi.core.errors import DomainError
from yuqi.core.listing import paginate
from yuqi.interactions import services
from yuqi.interactions.choices import ContactOutcome
from yuqi.interactions.forms import ContactLogForm, InteractionFilterForm
from yuqi.interactions.selectors import contact_categories, interaction_list

PAGE_SIZE = 50


@requires("interactions.view_interaction")
def interaction_index(request: HttpRequest) -> HttpResponse:
    form = InteractionFilterForm(request.GET or None)
    listing = paginate(request, interaction_list(form.to_filter()), PAGE_SIZE)
    context = {"form": form, "page": listing.page, "query": listing.query}
    template = "interactions/partials/results.html" if request.htmx else "interactions/list.html"
    return render(request, template, context)


@requires("customers.view_customer", "interactions.add_interaction")
def contact_log_page(request: HttpRequest, external_id: str) -> HttpResponse:
    """Log a contact for a customer (the form is also a panel on the customer 360). After a
    contact whose outcome is "complaint to open", the complaint form opens, prefilled."""
    from yuqi.customers.facade import customer_ids_by_external_id, customer_refs

    found = customer_ids_by_external_id([external_id])
    if not found:
        raise Http404
    customer = customer_refs(found.values())[found[external_id]]
    form = ContactLogForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                contact = services.contact_log(
                    customer_id=customer.id, by=request.user, **form.service_arguments()
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Contact logged."))
                if contact.outcome == ContactOutcome.COMPLAINT and request.user.has_perm(
                    "complaints.add_complaint"
                ):
                    return redirect(f"{reverse('complaints:new')}?contact={contact.pk}")
                return redirect("customers:detail", external_id=customer.external_id)
        status = 400
    context = {
        "form": form,
        "customer": customer,
        "categories": contact_categories(),
    }
    return render(request, "interactions/log.html", context, status=status)
