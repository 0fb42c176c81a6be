"""An unidentified caller's number: kept masked for people, and as a keyed hash for linking."""

from __future__ import annotations

import hmac

from django.conf import settings

from yuqi.domain.pii import mask_phone
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
