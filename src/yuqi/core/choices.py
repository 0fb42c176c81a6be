"""Value sets with a translated label and a colour, in one place (NetBox's ``ChoiceSet``).

A :class:`ChoiceSet` is a Django ``TextChoices`` whose members are written
``(value, label, colour)``::

    class PromiseStatus(ChoiceSet):
        OPEN = "open", _("Open"), Colour.BLUE
        BROKEN = "broken", _("Broken"), Colour.RED

so model fields keep ``choices=PromiseStatus.choices`` (the same ``(value, label)`` pairs as a
plain ``TextChoices``: no migration), code keeps ``PromiseStatus.BROKEN.label``, and badges and
charts read ``PromiseStatus.BROKEN.colour`` instead of keeping their own colour maps.

Colours come from a small closed palette, :class:`Colour`. Each has three shades: ``ink``
(badge text), ``tint`` (badge background) and ``fill`` (a chart's bar or slice). The style
sheet ``static/yuqi/app.css`` has one rule ``.colour-<name>`` per colour; a test keeps the two
in step. The badge itself is the template tag ``{% badge value "app.ChoiceSetName" %}`` of
``core/templatetags/choices.py``.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import models
from django.db.models.enums import ChoicesType


@dataclass(frozen=True, slots=True)
class Swatch:
    """The three shades of one palette colour (hex, ``#rrggbb``)."""

    ink: str
    tint: str
    fill: str


class Colour(enum.StrEnum):
    """The closed palette; the value is the CSS class suffix (``colour-red``)."""

    RED = "red"
    AMBER = "amber"
    BROWN = "brown"
    GREEN = "green"
    TEAL = "teal"
    MINT = "mint"
    BLUE = "blue"
    PURPLE = "purple"
    GREY = "grey"
    SILVER = "silver"

    @property
    def swatch(self) -> Swatch:
        return SWATCHES[self]

    @property
    def ink(self) -> str:
        return SWATCHES[self].ink

    @property
    def tint(self) -> str:
        return SWATCHES[self].tint

    @property
    def fill(self) -> str:
        return SWATCHES[self].fill


#: The shades. Ink on tint has a contrast of 4.6:1 or more (WCAG AA for small text); green's
#: ink was darkened to reach 4.96 to 1 after the axe-core accessibility check.
SWATCHES: dict[Colour, Swatch] = {
    Colour.RED: Swatch(ink="#ba2525", tint="#fde8e8", fill="#ba2525"),
    Colour.AMBER: Swatch(ink="#8a5a00", tint="#fff3d6", fill="#b07d12"),
    Colour.BROWN: Swatch(ink="#7a4b00", tint="#f6ecdd", fill="#7a4b00"),
    Colour.GREEN: Swatch(ink="#2a7430", tint="#e3f1ec", fill="#2f8132"),
    Colour.TEAL: Swatch(ink="#0b6e4f", tint="#e3f1ec", fill="#0b6e4f"),
    Colour.MINT: Swatch(ink="#2a6b53", tint="#e8f5ef", fill="#4f9d7e"),
    Colour.BLUE: Swatch(ink="#2450a8", tint="#e8eefc", fill="#2450a8"),
    Colour.PURPLE: Swatch(ink="#6b3fa0", tint="#f1eafb", fill="#6b3fa0"),
    Colour.GREY: Swatch(ink="#616e7c", tint="#eef2f6", fill="#7b8794"),
    Colour.SILVER: Swatch(ink="#52606d", tint="#f5f7fa", fill="#b9c4d0"),
}


class ChoiceSetType(ChoicesType):
    """Takes the colour off each ``(value, label, colour)`` member before Django's
    ``ChoicesType`` reads ``(value, label)``, and registers the set as ``"<app>.<Name>"``."""

    registry: ClassVar[dict[str, Any]] = {}

    def __new__(metacls, classname: str, bases: tuple, classdict: Any, **kwds: Any) -> Any:
        colours: list[Colour] = []
        for key in classdict._member_names:
            value = classdict[key]
            if not (isinstance(value, tuple) and len(value) == 3 and type(value[2]) is Colour):
                raise TypeError(f"{classname}.{key} must be (value, label, Colour), not {value!r}")
            colours.append(value[2])
            dict.__setitem__(classdict, key, value[:2])
        cls: Any = super().__new__(metacls, classname, bases, classdict, **kwds)
        for member, colour in zip(cls.__members__.values(), colours, strict=True):
            member._colour_ = colour
        if colours:
            parts = cls.__module__.split(".")
            metacls.registry[f"{parts[1] if len(parts) > 2 else parts[0]}.{classname}"] = cls
        return cls


class ChoiceSet(models.TextChoices, metaclass=ChoiceSetType):
    """Base of every value set with a colour (see the module docstring)."""

    @enum.property
    def colour(self) -> Colour:
        return self._colour_  # type: ignore[attr-defined]


def choice_set(name: str) -> Any:
    """The registered set ``"<app>.<Name>"`` (``"complaints.ComplaintState"``)."""
    try:
        return ChoiceSetType.registry[name]
    except KeyError:
        raise LookupError(f"no ChoiceSet named {name!r}") from None


@functools.lru_cache(maxsize=64)
def label_words(choices: type[models.Choices]) -> dict[str, str]:
    """Every way the product itself writes a member of ``choices``, mapped to its value: the
    value and its label in each language of ``settings.LANGUAGES`` (``{"active": "active",
    "Active": "active", "有效": "active"}``), so an import accepts what the pages show."""
    from django.conf import settings
    from django.utils import translation

    words: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                words.setdefault(str(label), value)
    for value in choices.values:
        words[value] = value
    return words  # cached: callers must not change it (``label_words(X) | extra`` copies)
