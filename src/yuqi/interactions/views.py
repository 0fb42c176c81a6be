from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuqi.core.access import requires
from yuqi.core.listing import paginate
from yuqi.interactions.forms import InteractionFilterForm
from yuqi.interactions.selectors import interaction_list

PAGE_SIZE = 50


@requires("interactions.view_interaction")
def interaction_index(request: HttpRequest) -> HttpResponse:
    form = InteractionFilterForm(request.GET or None)
    listing = paginate(request, interaction_list(form.to_filter()), PAGE_SIZE)
    context = {"form": form, "page": listing.page, "query": listing.query}
    template = "interactions/partials/results.html" if request.htmx else "interactions/list.html"
    return render(request, template, context)
