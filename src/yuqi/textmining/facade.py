"""What other contexts may know of text mining (wave-2 contract with insights): plain frozen
dataclasses, taxonomy codes from ``yuqi/data/text/expectation_taxonomy.toml``, masked text.

Evidence counts *reasonable* complaints only: spam, near-duplicates and complaints a handler
judged unreasonable are left out. A complaint's category is its handler label when it has
one, else the stored prediction.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django.db.models import Field

from yuqi.core.compiled_reads import CompiledRead
from yuqi.core.request_memo import memoised
from yuqi.textmining.models import ComplaintAnalysis

EXAMPLES = 3


@dataclass(frozen=True)
class ExampleText:
    complaint_id: int
    number: str
    text: str  # masked


@dataclass(frozen=True)
class CategoryEvidence:
    code: str
    label: str
    complaints: int
    customers: int
    tiers: dict[str, int]
    examples: list[ExampleText]
    wanted_outcomes: dict[str, int]
    median_wanted_hours: float | None


def taxonomy_labels() -> dict[str, str]:
    """Category code → label in the active language (Chinese unless English is active)."""
    from django.utils.translation import get_language

    from yuqi.domain.text.taxonomy import default_taxonomy

    english = (get_language() or "").startswith("en")
    return {
        code: (category.en if english else category.zh)
        for code, category in default_taxonomy().categories.items()
    }


def _rows(**filters):
    return ComplaintAnalysis.objects.filter(**filters).select_related("complaint__text_label")


def _code(analysis) -> str:
    label = getattr(analysis.complaint, "text_label", None)
    return label.code if label is not None else analysis.category


def expectation_evidence(*, date_from: date, date_to: date) -> list[CategoryEvidence]:
    """Per category: reasonable complaints opened in [date_from, date_to], their customers
    and tiers, up to three examples (most confident first), wanted outcomes and the median
    hours between opening and the wanted time. Most complaints first."""
    from yuqi.complaints.facade import complaint_texts
    from yuqi.core.clock import day_start

    rows = [
        row
        for row in _rows(
            complaint__opened_at__gte=day_start(date_from),
            complaint__opened_at__lt=day_start(date_to + timedelta(days=1)),
        ).order_by("-confidence", "complaint_id")
        if not row.excluded
    ]
    texts = complaint_texts(row.complaint_id for row in rows)
    groups: dict[str, list] = defaultdict(list)
    for row in rows:
        if row.complaint_id in texts:
            groups[_code(row)].append(row)
    labels = taxonomy_labels()
    result = []
    for code, members in groups.items():
        meta = [texts[row.complaint_id] for row in members]
        hours = [
            (row.wanted_by - text.opened_at).total_seconds() / 3600
            for row, text in zip(members, meta, strict=True)
            if row.wanted_by is not None and row.wanted_by > text.opened_at
        ]
        outcomes = Counter(o["kind"] for row in members for o in row.wanted_outcomes or [])
        result.append(
            CategoryEvidence(
                code=code,
                label=labels.get(code, code),
                complaints=len(members),
                customers=len({text.customer_id for text in meta}),
                tiers=dict(sorted(Counter(text.tier or "" for text in meta).items())),
                examples=[
                    ExampleText(row.complaint_id, text.number, row.masked_text)
                    for row, text in list(zip(members, meta, strict=True))[:EXAMPLES]
                ],
                wanted_outcomes=dict(sorted(outcomes.items())),
                median_wanted_hours=round(statistics.median(hours), 2) if hours else None,
            )
        )
    result.sort(key=lambda evidence: (-evidence.complaints, evidence.code))
    return result


def _distinct_codes(rows) -> list[str]:
    seen: list[str] = []
    for row in rows:
        code = _code(row)
        if code not in seen:
            seen.append(code)
    return seen


def _customer_codes(*, customer_id: int):
    return (
        ComplaintAnalysis.objects.filter(complaint__customer_id=customer_id)
        .order_by("-complaint__opened_at", "-complaint_id")
        .values_list("complaint__text_label__code", "category")
    )


#: The customer's analysed complaints' codes, compiled once per database (building and
#: compiling the three-table read was about a third of a millisecond on every 360 and ticket).
CUSTOMER_CODES_READ = CompiledRead(
    _customer_codes,
    model=ComplaintAnalysis,
    customer_id=cast(
        "Field[Any, Any]",
        ComplaintAnalysis.complaint.field.related_model._meta.get_field("customer"),
    ),
)


@memoised
def customer_expectation_codes(customer_id: int) -> list[str]:
    """Taxonomy codes of the customer's analysed complaints, most recent first, distinct
    (each the handler's label, else the prediction, as ``_code``): two columns per analysis,
    not the analysis and its complaint as model instances."""
    rows = CUSTOMER_CODES_READ.rows(customer_id=customer_id)
    seen: list[str] = []
    for label, category in rows:
        code = label if label is not None else category
        if code not in seen:
            seen.append(code)
    return seen


def complaint_expectation_codes(complaint_id: int) -> list[str]:
    """The complaint's category (label, else prediction); empty when not analysed."""
    from yuqi.textmining.selectors import analyses_of_complaint

    return _distinct_codes(analyses_of_complaint(complaint_id))


def complaint_and_customer_expectation_codes(complaint_id: int) -> list[str]:
    """The complaint's own category first, then those of its customer's other analysed
    complaints (most recent first), distinct: the expectations the agent on the ticket should
    know of."""
    from yuqi.complaints.facade import complaint_refs

    codes = complaint_expectation_codes(complaint_id)
    ticket = complaint_refs([complaint_id]).get(complaint_id)
    if ticket is not None:
        codes += [c for c in customer_expectation_codes(ticket.customer_id) if c not in codes]
    return codes


def complaint_wanted_outcomes(complaint_id: int) -> list[str]:
    """Kinds of the outcomes the customer asked for (refund, repair …), as extracted."""
    from yuqi.textmining.selectors import analyses_of_complaint

    found = analyses_of_complaint(complaint_id)
    if not found:
        return []
    row = found[0]
    return [o["kind"] for o in row.wanted_outcomes or [] if isinstance(o, dict) and "kind" in o]


def text_topic(text: str) -> str:
    """The taxonomy code the text pipeline gives ``text`` (the active model, else the rules);
    "" when nothing matches. Suggestions and praise get their register topic from it."""
    from django.utils.timezone import localtime

    from yuqi.core.clock import now
    from yuqi.domain.text.analyse import analyse_complaint
    from yuqi.domain.text.taxonomy import OTHER
    from yuqi.textmining.services import _category, active_model

    _row, trained = active_model()
    result = analyse_complaint(text, localtime(now()), model=trained)
    code = _category(result)[0]
    return "" if code == OTHER else code


@dataclass(frozen=True)
class PerkLeakage:
    """Reasonable complaints from customers below a perk's tier that ask for the perk: the
    perk has become an ordinary customer's expectation ([seed-000]: VIP perks advertised
    carelessly raise ordinary customers' expectations)."""

    perk: str
    name: str  # the perk's name in the active language
    complaints: int
    customers: int
    tiers: dict[str, int]
    examples: list[ExampleText]


def perk_leakage_evidence(*, date_from: date, date_to: date) -> list[PerkLeakage]:
    """Per perk: reasonable complaints opened in [date_from, date_to] whose (masked) text
    names the perk while their customer's tier is below its lowest entitled tier. Perks from
    the commitments facade, tier ranks from the customers facade; most complaints first."""
    from django.utils.translation import get_language

    from yuqi.commitments.facade import perk_lines
    from yuqi.complaints.facade import complaint_texts
    from yuqi.core.clock import day_start
    from yuqi.customers.facade import tier_ranks
    from yuqi.domain.tier_guard import PerkTerm, perk_leakage

    lines = {line.code: line for line in perk_lines()}
    if not lines:
        return []
    terms = [
        PerkTerm(code, (line.name, line.name_en), line.min_tier_rank)
        for code, line in lines.items()
    ]
    ranks = tier_ranks()
    rows = [
        row
        for row in _rows(
            complaint__opened_at__gte=day_start(date_from),
            complaint__opened_at__lt=day_start(date_to + timedelta(days=1)),
        ).order_by("-confidence", "complaint_id")
        if not row.excluded
    ]
    texts = complaint_texts(row.complaint_id for row in rows)
    groups: dict[str, list] = defaultdict(list)
    for row in rows:
        text = texts.get(row.complaint_id)
        if text is None:
            continue
        for code in perk_leakage(row.masked_text, terms, ranks.get(text.tier)):
            groups[code].append((row, text))
    english = (get_language() or "").startswith("en")
    result = [
        PerkLeakage(
            perk=code,
            name=lines[code].name_en if english else lines[code].name,
            complaints=len(members),
            customers=len({text.customer_id for _row, text in members}),
            tiers=dict(sorted(Counter(text.tier or "" for _row, text in members).items())),
            examples=[
                ExampleText(row.complaint_id, text.number, row.masked_text)
                for row, text in members[:EXAMPLES]
            ],
        )
        for code, members in groups.items()
    ]
    result.sort(key=lambda fact: (-fact.complaints, fact.perk))
    return result
