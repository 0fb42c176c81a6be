from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from yuqi.core.access import public, requires, signed_in
from yuqi.core.api_errors import error_response
from yuqi.core.navigation import visible_items
from yuqi.core.panels import panels_for
from yuqi.core.selectors import system_status


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """The home page: the cards each context registers for page ``home`` (``core.panels``:
    the user's roles, notices such as missing holiday data), then the pages the user may open."""
    pages = [item for item in visible_items(request.user, "") if item["url"] != "/"]
    panels = panels_for("home", request.user.pk, request.user)
    context = {"panels": panels, "pages": pages}
    return render(request, "core/home.html", context)


@requires("core.view_system_status")
def system(request: HttpRequest) -> HttpResponse:
    from django.conf import settings
    from django.db import connection

    context = {
        **system_status(),
        "database": connection.vendor,
        "tasks_backend": settings.TASKS_BACKEND,
        "data_dir": settings.DATA_DIR,
    }
    return render(request, "core/system.html", context)


@csrf_exempt  # it changes nothing: a POST to an unknown path is 404, not a CSRF refusal
@public
def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Unknown paths under /api/ answer in the API's JSON error shape, not an HTML page."""
    return error_response(404, _("No such API endpoint: %(path)s") % {"path": request.path})
