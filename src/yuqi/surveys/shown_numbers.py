"""Numbers written as the survey analysis page's template filters wrote them, for the tags
that draw its tables in Python (``yuqi.surveys.templatetags``).

``{{ value|floatformat:2 }}`` reads the value as a ``Decimal`` of its shortest repr, rounds
it half up and writes it through ``number_format``, which looks the language's separators
up anew for every number: some 8 µs a value, and the page has about a hundred and fifty.
:func:`decimals` does the same arithmetic with the separator looked up once per table; a
value that is not a float of ordinary size (None, an int, text, NaN, infinity, 10¹⁵ and
more, a non-zero 10⁻¹⁵⁰ and less), or thousand separators switched on, is written by
Django's filter itself. ``tests/surveys/test_shown_numbers.py`` compares the two.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils.formats import get_format

#: Floats at least this large, and non-zero ones this small or smaller, go to Django's filter
#: (the first reach the Decimal context's precision sooner, the second are written as they
#: are, past the filter's 200 digits; none of the page's figures comes near either).
_LARGEST = 1e15
_SMALLEST = 1e-150


def decimals(places: int) -> Callable[[Any], str]:
    """``value|floatformat:places`` (``places`` > 0) in the active language."""
    if places <= 0 or settings.USE_THOUSAND_SEPARATOR:
        return lambda value: floatformat(value, places)
    separator = get_format("DECIMAL_SEPARATOR")
    quantum = Decimal(1).scaleb(-places)

    def fixed(value: Any) -> str:
        if isinstance(value, float) and (_SMALLEST < abs(value) < _LARGEST or value == 0):
            rounded = Decimal(str(value)).quantize(quantum, ROUND_HALF_UP)
            text = f"{rounded:f}"
            if text[0] == "-" and not rounded:  # floatformat writes no sign on a zero
                text = text[1:]
            return text if separator == "." else text.replace(".", separator)
        return floatformat(value, places)

    return fixed


def percent(value: Any) -> str:
    """``{% widthratio value 1 100 %}``: the share as a whole percentage, without the sign."""
    try:
        return str(round(float(value) / 1.0 * 100))
    except ZeroDivisionError:
        return "0"
    except (ValueError, TypeError, OverflowError):
        return ""
