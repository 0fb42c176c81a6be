"""Queues, teams and agents as the ACD names them: unknown codes are created on first sight."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models


def ids_for_codes(model: type[models.Model], codes: Iterable[str | None]) -> dict[str, int]:
    wanted = {code for code in codes if code}
    if not wanted:
        return {}
    found = dict(model.objects.filter(code__in=wanted).values_list("code", "id"))
    missing = wanted - set(found)
    if missing:
        model.objects.bulk_create(
            [model(code=code, name=code) for code in sorted(missing)], ignore_conflicts=True
        )
        found.update(model.objects.filter(code__in=missing).values_list("code", "id"))
    return found
