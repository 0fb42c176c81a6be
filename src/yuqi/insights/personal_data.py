"""Expectation evidence quotes complaints as examples: examples that name the customer are
erased (counts stay)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yuqi.insights.models import Evidence, ExpectationHistory
from yuqi.privacy.facade import (
    DataSubject,
    Erased,
    erase_rows_mentioning,
    register_personal_data_source,
)


def export(subject: DataSubject) -> list[dict]:
    return []


def erase(subject: DataSubject) -> Erased:
    who = subject.identifiers
    rows = erase_rows_mentioning(Evidence.objects.all(), who, ("summary",))
    rows += erase_rows_mentioning(ExpectationHistory.objects.all(), who, ("detail",))
    return Erased(rows)


def register() -> None:
    register_personal_data_source(
        "insights",
        export,
        erase,
        label=_("Expectation evidence"),
        purpose=_("Evaluate and grade expectations"),
        categories=_("complaint examples quoted as evidence"),
        order=600,
    )
