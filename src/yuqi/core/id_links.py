"""Links to many rows of one kind on a page, the URL reversed once per request.

A table of fifty rows with a ``{% url 'name' row.pk %}`` each reverses fifty times (Django's
resolver, the script prefix, quoting). :func:`id_link` reverses once with a stand-in id and puts
each row's id in its place: an ``<int:…>`` path writes the id as ``str(pk)``, so both give the
same text. Where the stand-in cannot be told apart (it appears twice, say in a script prefix),
each id is reversed as before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

#: A stand-in id no page links to.
_STAND_IN = 987_654_321
#: Where a request keeps the halves of the URLs reversed for it.
_KEPT = "_yuqi_id_links"


def id_link(context: Any, name: str) -> Callable[[int], str]:
    """``pk`` → ``{% url name pk %}`` (escaped, as the template writes it) for a URL of one
    ``<int:…>`` argument, reversed once per request (the template context's ``request``; a
    context without one, or any mapping: once per call of this function)."""
    request = context.get("request")
    kept = getattr(request, _KEPT, None) if request is not None else None
    found = kept.get(name) if kept is not None else None
    if found is None:
        url = str(conditional_escape(reverse(name, args=[_STAND_IN])))
        head, stand_in, tail = url.partition(str(_STAND_IN))
        if not stand_in or str(_STAND_IN) in tail:  # not where it can be replaced: reverse each
            return lambda pk: conditional_escape(reverse(name, args=[pk]))
        found = (head, tail)
        if request is not None:
            if kept is None:
                kept = {}
                setattr(request, _KEPT, kept)
            kept[name] = found
    head, tail = found
    return lambda pk: SafeString(f"{head}{int(pk)}{tail}")
