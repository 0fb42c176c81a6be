"""The centre's name and logo on the public survey pages (``YUQI_CENTRE_NAME``,
``YUQI_CENTRE_LOGO_URL``): customers distrust an unbranded link."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def centre_brand() -> dict[str, str]:
    """``{% centre_brand as brand %}``: ``brand.name`` and ``brand.logo_url`` (either may be
    empty)."""
    return {
        "name": getattr(settings, "YUQI_CENTRE_NAME", ""),
        "logo_url": getattr(settings, "YUQI_CENTRE_LOGO_URL", ""),
    }
