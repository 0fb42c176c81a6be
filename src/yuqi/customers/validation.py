"""Turning raw customer values (a file row, a JSON item, a form) into clean field values.

One function serves the importer, the API and the pages, so a value accepted in one place is
accepted everywhere, and every refusal names its field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from yuqi.core.choices import label_words
from yuqi.customers.choices import CustomerStatus, Segment
from yuqi.ingest import FieldError
from yuqi.ingest.parse import normalise_phone, parse_choice, parse_date, parse_decimal

ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

STATUS_WORDS = {
    "active": CustomerStatus.ACTIVE,
    "正常": CustomerStatus.ACTIVE,
    "在网": CustomerStatus.ACTIVE,
    "活跃": CustomerStatus.ACTIVE,
    "dormant": CustomerStatus.DORMANT,
    "休眠": CustomerStatus.DORMANT,
    "沉默": CustomerStatus.DORMANT,
    "停机": CustomerStatus.DORMANT,
    "closed": CustomerStatus.CLOSED,
    "销户": CustomerStatus.CLOSED,
    "离网": CustomerStatus.CLOSED,
    "注销": CustomerStatus.CLOSED,
}
SEGMENT_WORDS = {
    **{value: value for value in Segment.values},
    "顶层": Segment.TOP,
    "高端": Segment.HIGH,
    "高": Segment.HIGH,
    "中端": Segment.MIDDLE,
    "中": Segment.MIDDLE,
    "低端": Segment.LOW,
    "低": Segment.LOW,
    "不活跃": Segment.INACTIVE,
    "潜在": Segment.POTENTIAL,
    "观望": Segment.WAIT_AND_SEE,
    "wait-and-see": Segment.WAIT_AND_SEE,
}


def check_id_number(value: str) -> str:
    """An 18-digit mainland resident ID with its ISO 7064 MOD 11-2 check character."""
    value = value.strip().upper()
    if not ID_NUMBER.match(value):
        raise FieldError(_("an ID card number has 17 digits and a check digit or X"))
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK[total % 11] != value[17]:
        raise FieldError(_("the ID card number's check digit is wrong"))
    return value


def check_email(value: str) -> str:
    try:
        validate_email(value)
    except ValidationError as exc:
        raise FieldError(_("not a valid e-mail address")) from exc
    return value.lower()


def _text(limit: int) -> Callable[[str], str]:
    def clean(value: str) -> str:
        if len(value) > limit:
            raise FieldError(_("longer than %(n)d characters") % {"n": limit})
        return value

    return clean


@dataclass
class Cleaned:
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


CLEANERS: dict[str, Callable[[str], Any]] = {
    "external_id": _text(64),
    "name": _text(100),
    "phone": normalise_phone,
    "email": check_email,
    "id_number": check_id_number,
    "region": _text(60),
    "segment": lambda v: parse_choice(v, label_words(Segment) | SEGMENT_WORDS),
    "monthly_value": parse_decimal,
    "joined_on": parse_date,
    "status": lambda v: parse_choice(v, label_words(CustomerStatus) | STATUS_WORDS),
}
REQUIRED = ("external_id", "name")
BLANK_AS = {
    "phone": "",
    "email": "",
    "id_number": "",
    "region": "",
    "segment": "",
    "status": CustomerStatus.ACTIVE,
}


def clean_customer(
    raw: Mapping[str, Any], *, tiers: Mapping[str, int], partial: bool = False
) -> Cleaned:
    """Clean the given fields; ``tiers`` maps every accepted tier word (code, 中文, English) to
    its id. With ``partial`` only the fields present are checked (an update)."""
    result = Cleaned()
    for name in REQUIRED:
        if not partial and not _present(raw.get(name)):
            result.errors.append((name, _("required")))
    for name, value in raw.items():
        if name == "tier":
            _clean_tier(value, tiers, result)
            continue
        cleaner = CLEANERS.get(name)
        if cleaner is None:
            continue
        if not _present(value):
            if name not in REQUIRED:
                result.values[name] = BLANK_AS.get(name)
            continue
        try:
            result.values[name] = cleaner(str(value).strip())
        except FieldError as exc:
            result.errors.append((name, str(exc)))
    if "phone" in result.values:
        result.values["phone_tail"] = (result.values["phone"] or "")[-4:]
    return result


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _clean_tier(value: Any, tiers: Mapping[str, int], result: Cleaned) -> None:
    if not _present(value):
        result.values["tier_id"] = None
        return
    key = str(value).strip().lower()
    if key not in tiers:
        result.errors.append(
            (
                "tier",
                _("unknown tier %(value)s; known: %(known)s")
                % {"value": value, "known": ", ".join(sorted(tiers))},
            )
        )
        return
    result.values["tier_id"] = tiers[key]
