"""``{% url %}`` from Python, for the tags that write a page's loop in one pass."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import render_value_in_context
from django.urls import reverse

_UNSET = object()


def template_url(context: template.Context, name: str, *args: Any) -> str:
    """What ``{% url name arg… %}`` gives in ``context``: reversed with the request's
    ``current_app`` (else its namespace) and escaped as the tag escapes it."""
    request = getattr(context, "request", None)
    current_app = getattr(request, "current_app", _UNSET)
    if current_app is _UNSET:
        current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
    url = reverse(name, args=args, current_app=current_app)
    return render_value_in_context(url, context)
