"""The estimation method of a survey figure in the reader's language.

The pure analysis (:mod:`yuqi.domain.estimates`, :mod:`yuqi.domain.survey_analysis`) names
its method in English words joined by ", " ("CSAT top-2-box, Wilson score", "stratified
NPS, normal"); the pages and downloads show each part translated. A part not listed here is
shown as it is (the API keeps the English names: they are identifiers there).
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

_PARTS = {
    "Wilson score": _("Wilson score interval"),
    "Student t": _("Student's t interval"),
    "normal": _("normal interval"),
    "NPS wald": _("NPS, Wald interval"),
    "NPS adjusted-wald": _("NPS, adjusted Wald interval"),
    "CSAT top-2-box": _("CSAT top-2-box"),
    "CES mean": _("CES mean"),
    "stratified mean": _("stratified mean"),
    "stratified proportion": _("stratified proportion"),
    "stratified NPS": _("stratified NPS"),
    "post-stratified mean": _("post-stratified mean"),
    "post-stratified proportion": _("post-stratified proportion"),
    "post-stratified NPS": _("post-stratified NPS"),
}


def method_label(method: str) -> str:
    """``method`` with each known part translated ("" stays "")."""
    if not method:
        return ""
    return _label(get_language(), method)


@lru_cache(maxsize=256)
def _label(language: str | None, method: str) -> str:
    """The label of ``method`` in ``language`` (the active one): the analysis page labels
    some thirty figures, a handful of methods, each a few catalog look-ups; the labels are
    the catalog's, which a process loads once."""
    parts = [part.strip() for part in method.split(",")]
    return _("; ").join(str(_PARTS.get(part, part)) for part in parts)
