"""Panels that other contexts add to a page they do not own: the customer 360 (pages
``customer_360`` and ``customer_360_side``), the complaint page, the home page (``home``).

The customers context must not import complaints, commitments or surveys, yet its 360 page
shows their open complaints, open promises and surveys. Each context registers a provider in
its ``AppConfig.ready()``; the page asks every provider whether it has something to show. A
provider returns ``None`` when the user may not see it or there is nothing to say, so a slot
appears only once its context exists and only for those allowed to read it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


#: provider(customer_id, user) -> Panel | None
PanelProvider = Callable[[int, Any], "Panel | None"]

_PROVIDERS: dict[str, dict[str, PanelProvider]] = {}


def register_panel(page: str, name: str, provider: PanelProvider) -> None:
    """Register ``provider`` under ``name`` for ``page`` (e.g. ``"customer_360"``).

    Registering the same name again replaces the provider (``ready()`` may run twice in tests).
    """
    _PROVIDERS.setdefault(page, {})[name] = provider


def panels_for(page: str, subject_id: int, user: Any) -> list[Panel]:
    panels = [provider(subject_id, user) for provider in _PROVIDERS.get(page, {}).values()]
    return sorted((p for p in panels if p is not None), key=lambda p: p.order)
