from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from yuqi.core.access import requires
from yuqi.interactions.forms import InteractionFilterForm
from yuqi.interactions.selectors import interaction_list

PAGE_SIZE = 50


@requires("interactions.view_interaction")
def interaction_index(request: HttpRequest) -> HttpResponse:
    form = InteractionFilterForm(request.GET or None)
    paginator = Paginator(interaction_list(form.to_filter()), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "interactions/partials/results.html" if request.htmx else "interactions/list.html"
    return render(request, template, context)
