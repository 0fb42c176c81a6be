"""A ceiling on look-ups by whole phone number, ID number or e-mail for roles that see them
masked.

Such a search answers one question, "is this the caller?", and that is all an agent needs. But
the mask (``138****5678``) hides only four digits, so ten thousand exact look-ups would find
any number (security review F-2). Counting them per user and per clock hour
(``YUQI_PERSONAL_SEARCH_PER_HOUR``, default 60; 0 turns the ceiling off) makes that take
days, and each refusal is logged with the user's id so it can be noticed. The count lives in
Django's cache: per process with the default local-memory cache, so with several server
processes the effective ceiling is that many times higher.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from yuqi.customers.presenters import may_see_personal_data
from yuqi.customers.selectors import is_personal_search

log = logging.getLogger(__name__)

PERIOD_SECONDS = 3600
DEFAULT_PER_HOUR = 60
SEARCH_LIMIT_MESSAGE = _(
    "Too many searches by whole phone, ID number or e-mail this hour; search by name, "
    "customer id or the last 4 digits of the phone."
)


def per_hour() -> int:
    return int(getattr(settings, "YUQI_PERSONAL_SEARCH_PER_HOUR", DEFAULT_PER_HOUR))


def personal_search_allowed(user: Any, q: str) -> bool:
    """Count this search if it looks a customer up by a whole personal number and the user
    sees personal data masked; False once the user has used up this hour's allowance."""
    limit = per_hour()
    if limit <= 0 or not is_personal_search(q) or may_see_personal_data(user):
        return True
    window = int(time.time() // PERIOD_SECONDS)
    key = f"yuqi:personal-search:{user.pk}:{window}"
    cache.add(key, 0, PERIOD_SECONDS)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, PERIOD_SECONDS)
        used = 1
    if used > limit:
        log.warning(
            "customer search: user %s is over %s personal look-ups this hour", user.pk, limit
        )
        return False
    return True
