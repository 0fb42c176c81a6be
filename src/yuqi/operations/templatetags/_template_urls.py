"""``{% url %}`` from Python, for the tags that write a page's loop in one pass."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.urls import reverse


def template_url(context: template.Context, name: str, *args: Any) -> str:
    """What ``{% url name arg… %}`` gives in ``context``: reversed with the request's
    ``current_app`` (else its namespace) and escaped as the tag escapes it."""
    request: Any = getattr(context, "request", None)
    try:
        current_app = request.current_app
    except AttributeError:
        try:
            current_app = request.resolver_match.namespace
        except AttributeError:
            current_app = None
    url = reverse(name, args=args, current_app=current_app)
    return render_value_in_context(url, context)
