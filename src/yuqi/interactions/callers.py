"""An unidentified caller's number: kept masked for people, and as a keyed hash for linking."""

from __future__ import annotations

import hmac
from collections.abc import Sequence

from django.conf import settings

from yuqi.domain.pii import MOBILE_NUMBER, mask_phone
from yuqi.ingest import FieldError
from yuqi.ingest.parse import normalise_phone


def caller_hash(number: str) -> str:
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.digest(key, number.encode("utf-8"), "sha256").hex()[:32]  # one C call


def caller_fields(raw: str | None) -> dict[str, str]:
    if not raw:
        return {"caller_masked": "", "caller_hash": ""}
    try:
        number = normalise_phone(raw)
    except FieldError:
        digits = "".join(ch for ch in raw if ch.isdigit())
        number = digits or raw
    return {"caller_masked": mask_phone(number), "caller_hash": caller_hash(number)}


def callers_fields(raws: Sequence[str | None]) -> list[dict[str, str]]:
    """:func:`caller_fields` for many numbers at once (an import's batch): a bare mobile
    number, the usual cell, is masked and hashed inline with the key read once."""
    key = settings.SECRET_KEY.encode("utf-8")
    digest, mobile = hmac.digest, MOBILE_NUMBER.fullmatch
    fields: list[dict[str, str]] = []
    for raw in raws:
        if type(raw) is str and len(raw) == 11 and raw.isascii() and mobile(raw):
            fields.append(
                {
                    "caller_masked": raw[:3] + "****" + raw[7:],
                    "caller_hash": digest(key, raw.encode("utf-8"), "sha256").hex()[:32],
                }
            )
        else:
            fields.append(caller_fields(raw))
    return fields
