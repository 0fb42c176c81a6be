"""Knowledge: the uses logged for a customer are exported; search queries that name them
(an agent typing a phone number) are erased."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yuqi.knowledge.models import ArticleUse, SearchLog
from yuqi.privacy.facade import (
    DataSubject,
    Erased,
    Holding,
    erase_rows_mentioning,
    export_holdings,
    register_personal_data_source,
)

HOLDING = Holding(ArticleUse, "customer_id", (), export_fields=("article_id", "kind", "at"))


def export(subject: DataSubject) -> list[dict]:
    return export_holdings(subject.customer_id, [HOLDING])


def erase(subject: DataSubject) -> Erased:
    return Erased(erase_rows_mentioning(SearchLog.objects.all(), subject.identifiers, ("query",)))


def register() -> None:
    register_personal_data_source(
        "knowledge",
        export,
        erase,
        label=_("Knowledge use"),
        purpose=_("Suggest answers to agents"),
        categories=_("articles used for the customer, search queries"),
        order=600,
    )
