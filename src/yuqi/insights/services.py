"""Every write of the insights context: peer data, offerings, targets, file imports."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction

from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.core.private_files import open_private, private_dir
from yuqi.imports.importers import StoreResult
from yuqi.insights.models import (
    Indicator,
    IndicatorTarget,
    Offering,
    OurOffering,
    PeerCentre,
    PeerIndicatorValue,
    PeerOffering,
    Scope,
)


def _peers_by_name(records: Sequence[dict[str, Any]]) -> dict[str, PeerCentre]:
    """The peers the records name, created when new; industry/region filled in when given."""
    names = {r["peer"] for r in records if r.get("peer")}
    found = {p.name: p for p in PeerCentre.objects.select_for_update().filter(name__in=names)}
    for record in records:
        name = record.get("peer")
        if not name:
            continue
        peer = found.get(name)
        details = {k: record[k] for k in ("industry", "region") if record.get(k)}
        if peer is None:
            found[name] = PeerCentre.objects.create(name=name, **details)
        elif any(getattr(peer, k) != v for k, v in details.items()):
            for key, value in details.items():
                setattr(peer, key, value)
            peer.save(update_fields=list(details))
    return found


@transaction.atomic
def peer_values_store(*, records: Sequence[dict[str, Any]]) -> StoreResult:
    """Create or update peer indicator values by (peer, indicator, scope, period); identical
    rows are left untouched ("unchanged"), so re-importing a file writes nothing."""
    result = StoreResult()
    peers = _peers_by_name(records)
    existing = {
        (v.peer_id, v.indicator, v.scope, v.period_start, v.period_end): v
        for v in PeerIndicatorValue.objects.select_for_update().filter(
            peer__in=list(peers.values()), indicator__in={r["indicator"] for r in records}
        )
    }
    moment = now()
    for index, record in enumerate(records):
        peer = peers[record["peer"]]
        scope = record.get("scope") or Scope.VOICE
        key = (peer.pk, record["indicator"], scope, record["period_start"], record["period_end"])
        value, source = Decimal(record["value"]), record.get("source", "")
        current = existing.get(key)
        if current is None:
            existing[key] = PeerIndicatorValue.objects.create(
                peer=peer,
                indicator=record["indicator"],
                scope=scope,
                period_start=record["period_start"],
                period_end=record["period_end"],
                value=value,
                source=source,
                imported_at=moment,
            )
            result.created += 1
            result.statuses[index] = "created"
        elif current.value != value or current.source != source:
            current.value, current.source, current.imported_at = value, source, moment
            current.save(update_fields=["value", "source", "imported_at"])
            result.updated += 1
            result.statuses[index] = "updated"
        else:
            result.unchanged += 1
            result.statuses[index] = "unchanged"
    return result


def _offering(record: dict[str, Any], cache: dict[str, Offering]) -> Offering:
    code = record["code"]
    if code in cache:
        return cache[code]
    wanted = {
        "name": record["name"],
        **{k: record[k] for k in ("name_en", "description") if record.get(k)},
    }
    offering = Offering.objects.select_for_update().filter(code=code).first()
    if offering is None:
        offering = Offering.objects.filter(name=record["name"]).first()
    if offering is None:
        offering = Offering.objects.create(code=code, **wanted)
    else:
        changed = [k for k, v in wanted.items() if getattr(offering, k) != v]
        if changed:
            for key in changed:
                setattr(offering, key, wanted[key])
            offering.save(update_fields=changed)
    cache[code] = offering
    return offering


@transaction.atomic
def offerings_store(*, records: Sequence[dict[str, Any]]) -> StoreResult:
    """Create or update who offers what: ``ours`` rows our offerings, others peer offerings.
    The offering itself is created or renamed by its code (or, without one, its name)."""
    result = StoreResult()
    peers = _peers_by_name([r for r in records if not r["ours"]])
    cache: dict[str, Offering] = {}
    for index, record in enumerate(records):
        offering = _offering(record, cache)
        if record["ours"]:
            held, created = OurOffering.objects.get_or_create(
                offering=offering, defaults={"since": record["since"]}
            )
            wanted = {"since": record["since"]}
        else:
            held, created = PeerOffering.objects.get_or_create(
                peer=peers[record["peer"]],
                offering=offering,
                defaults={"since": record["since"], "source": record["source"]},
            )
            wanted = {"since": record["since"], "source": record["source"]}
        if created:
            result.created += 1
            result.statuses[index] = "created"
            continue
        changed = [k for k, v in wanted.items() if getattr(held, k) != v]
        if changed:
            for key in changed:
                setattr(held, key, wanted[key])
            held.save(update_fields=changed)
            result.updated += 1
            result.statuses[index] = "updated"
        else:
            result.unchanged += 1
            result.statuses[index] = "unchanged"
    return result


def indicator_target_set(*, indicator: str, target: Decimal | None) -> IndicatorTarget | None:
    """Set (or, with ``None``, remove) our target for an indicator."""
    if indicator not in Indicator.values:
        raise DomainError("unknown indicator", field="indicator")
    if target is None:
        IndicatorTarget.objects.filter(indicator=indicator).delete()
        return None
    found, _created = IndicatorTarget.objects.update_or_create(
        indicator=indicator, defaults={"target": target}
    )
    return found


def peer_file_import(*, kind: str, name: str, content: IO[bytes], by: object) -> Any:
    """Import an uploaded peer-indicator or offering file now (such files are small) through
    the shared import engine; returns the ``ImportRun`` with counts and the error report."""
    from yuqi.imports.engine import import_file
    from yuqi.imports.importers import get_importer
    from yuqi.imports.services import import_run_create

    folder = private_dir(Path(settings.MEDIA_ROOT) / "imports")
    suffix = Path(name).suffix.lower()[:6]
    path = folder / f"{uuid.uuid4().hex}-{kind}{suffix}"
    with open_private(path, "wb") as handle:
        for chunk in iter(lambda: content.read(1 << 20), b""):
            handle.write(chunk)
    importer = get_importer(kind)
    run = import_run_create(kind=kind, file_name=Path(name).name, path=path, by=by)
    return import_file(importer=importer, path=path, run=run)
