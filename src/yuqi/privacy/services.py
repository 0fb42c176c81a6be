"""Personal-information requests (PIPL arts. 44–47), the consent ledger and retention.

Due date: **15 working days** on the business calendar from the day after receipt
(``DUE_WORKING_DAYS``). PIPL art. 50 asks only for a timely answer; the 15 working days are the
common practice from 《App违法违规收集使用个人信息行为认定方法》 (国信办秘字〔2019〕191号: deletion
and correction within the promised time, at most 15 working days), while GB/T 35273-2020
§8.7 allows up to 30 days. The shared reference folder has no PIPL source; the complaint
rules there (15 days to answer a complaint) are a separate clock.

Erasure walks every registered personal-data source (``facade.register_personal_data_source``)
in one transaction, records an :class:`Erasure` so a second one is refused, and stops any
contact but service. Export walks the same sources and produces the same bytes each time
for the same data (JSON: sorted keys, no time stamp), so an export asked for twice gives the
same file.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yuqi.calendars.facade import calendar_for
from yuqi.core.cells import append_xlsx_row
from yuqi.core.clock import now
from yuqi.core.errors import DomainError
from yuqi.customers import facade as customers
from yuqi.domain.erasure import Identifiers, erase_text
from yuqi.privacy.facade import (
    PURPOSE_DEFAULTS,
    DataSubject,
    personal_data_sources,
    retention_purgers,
)
from yuqi.privacy.models import (
    ConsentEntry,
    ConsentSource,
    Erasure,
    IdentityMethod,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    RetentionRule,
)

DUE_WORKING_DAYS = 15
REASON_MAX = 500
DETAILS_MAX = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def due_on(received: datetime, working_days: int = DUE_WORKING_DAYS) -> date:
    """The ``working_days``-th working day after the day of receipt (China's holidays and
    调休 make-up days from the default business calendar; weekdays where a year has no
    holiday data)."""
    calendar = calendar_for()
    day = timezone.localdate(received)
    counted = 0
    while counted < working_days:
        day += timedelta(days=1)
        try:
            working = calendar.day_info(day).is_working_day
        except LookupError:
            working = day.weekday() < 5
        if working:
            counted += 1
    return day


def clean_text(value: str, *, limit: int, label: str) -> str:
    text = _CONTROL.sub("", value or "").strip()
    if len(text) > limit:
        raise DomainError(
            _("%(label)s is too long (at most %(limit)d characters).")
            % {"label": label, "limit": limit},
            field=label,
        )
    return text


def _identity(customer_ref: str) -> customers.CustomerIdentity:
    ref = (customer_ref or "").strip()
    found = customers.customer_identity(ref) if 0 < len(ref) <= 64 else None
    if found is None:
        raise DomainError(
            _("No customer with id %(ref)s.") % {"ref": ref[:64]},
            field="customer",
            code="not_found",
        )
    return found


def _subject(identity: customers.CustomerIdentity) -> DataSubject:
    return DataSubject(
        identity.id,
        identity.external_id,
        Identifiers(
            identity.name,
            identity.phone,
            identity.email,
            identity.id_number,
            extra=_former_identifiers(identity.id),
        ),
    )


IDENTIFYING_FIELDS = ("name", "phone", "email", "id_number")


def _former_identifiers(customer_id: int) -> tuple[str, ...]:
    """Names and numbers the customer had before a correction, from the audit log's
    before/after values of their record (masked values, with ``*``, are no identifier)."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.filter(app_label="customers", model="customer").first()
    if kind is None:
        return ()
    found: set[str] = set()
    for changes in LogEntry.objects.filter(content_type=kind, object_id=customer_id).values_list(
        "changes", flat=True
    ):
        if isinstance(changes, str):
            try:
                changes = json.loads(changes)
            except ValueError:
                continue
        for name in IDENTIFYING_FIELDS:
            values = (changes or {}).get(name)
            if isinstance(values, list):
                found.update(str(v) for v in values if v and "*" not in str(v) and str(v) != "None")
    return tuple(sorted(found))


@transaction.atomic
def privacy_request_create(
    *,
    customer_ref: str,
    kind: str,
    channel: str = "",
    details: str = "",
    by: Any = None,
    received_at: datetime | None = None,
) -> PrivacyRequest:
    if kind not in RequestKind.values:
        raise DomainError(_("Unknown request kind."), field="kind")
    identity = _identity(customer_ref)
    received = received_at or now()
    return PrivacyRequest.objects.create(
        kind=kind,
        customer_id=identity.id,
        customer_ref=identity.external_id,
        channel=clean_text(channel, limit=40, label="channel"),
        details=clean_text(details, limit=DETAILS_MAX, label="details"),
        received_at=received,
        due_on=due_on(received),
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )


def _locked(request: PrivacyRequest) -> PrivacyRequest:
    return PrivacyRequest.objects.select_for_update().get(pk=request.pk)


@transaction.atomic
def privacy_request_verify(
    *, request: PrivacyRequest, method: str, note: str = "", by: Any = None
) -> PrivacyRequest:
    """Record how the requester's identity was checked, and by whom."""
    if method not in IdentityMethod.values:
        raise DomainError(_("Choose how the identity was checked."), field="method")
    locked = _locked(request)
    if locked.status not in (RequestStatus.RECEIVED, RequestStatus.VERIFIED):
        raise DomainError(_("This request is already finished."), code="conflict")
    locked.identity_method = method
    locked.identity_note = clean_text(note, limit=200, label="note")
    locked.identity_checked_by = by if getattr(by, "is_authenticated", False) else None
    locked.identity_checked_at = now()
    locked.status = RequestStatus.VERIFIED
    locked.save()
    return locked


def _require_verified(request: PrivacyRequest) -> None:
    if not request.identity_method:
        raise DomainError(
            _("Record the identity check before acting on the request."), code="conflict"
        )


@dataclass(frozen=True)
class ExportBundle:
    customer_ref: str
    json_bytes: bytes
    sha256: str
    counts: dict[str, int]
    data: dict[str, Any] = field(repr=False)

    def xlsx_bytes(self) -> bytes:
        return export_xlsx(self.data)


def build_export(customer_id: int, customer_ref: str, who: Identifiers) -> ExportBundle:
    subject = DataSubject(customer_id, customer_ref, who)
    sources: dict[str, Any] = {}
    counts: dict[str, int] = {}
    for source in personal_data_sources():
        records = source.export(subject)
        counts[source.name] = len(records)
        if records:
            sources[source.name] = {"label": str(source.label), "records": records}
    data = {"customer": customer_ref, "sources": sources}
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1, default=str).encode()
    return ExportBundle(customer_ref, raw, hashlib.sha256(raw).hexdigest(), counts, data)


def export_xlsx(data: dict[str, Any]) -> bytes:
    """One sheet per source; every cell formula-safe (``core.cells``)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    book.properties.created = book.properties.modified = datetime(2000, 1, 1)  # noqa: DTZ001 (same bytes each time)
    for name, source in data["sources"].items():
        sheet = book.create_sheet(name[:31])
        records = source["records"]
        headers = list(dict.fromkeys(key for record in records for key in record))
        append_xlsx_row(sheet, headers)
        for record in records:
            append_xlsx_row(sheet, [_cell(record.get(key)) for key in headers])
    if not data["sources"]:
        append_xlsx_row(book.create_sheet("empty"), [data["customer"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


@transaction.atomic
def privacy_export(*, request: PrivacyRequest, by: Any = None) -> ExportBundle:
    """Everything Yuqi holds about the request's customer. Asking again gives the same file
    (same checksum while the data is unchanged) and counts the disclosure."""
    locked = _locked(request)
    _require_verified(locked)
    if locked.status == RequestStatus.REFUSED:
        raise DomainError(_("This request was refused."), code="conflict")
    if Erasure.objects.filter(customer_id=locked.customer_id).exists():
        raise DomainError(_("This customer's data has been erased."), code="conflict")
    identity = customers.customer_identity(locked.customer_ref)
    if identity is None:
        raise DomainError(_("No customer with id %(ref)s.") % {"ref": locked.customer_ref})
    bundle = build_export(identity.id, identity.external_id, _subject(identity).identifiers)
    locked.export_sha256 = bundle.sha256
    locked.exported_at = locked.exported_at or now()
    locked.export_count += 1
    if locked.kind == RequestKind.ACCESS:
        locked.status = RequestStatus.DONE
        locked.completed_at = locked.completed_at or now()
        locked.completed_by = locked.completed_by or _user(by)
    locked.outcome = {**locked.outcome, "export_counts": bundle.counts}
    locked.save()
    return bundle


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


@transaction.atomic
def privacy_correct(
    *, request: PrivacyRequest, changes: dict[str, str], by: Any = None
) -> list[str]:
    """Apply a correction through the customers' own service; returns the fields changed
    (their names only are recorded on the request)."""
    locked = _locked(request)
    _require_verified(locked)
    if locked.kind != RequestKind.CORRECTION or locked.status != RequestStatus.VERIFIED:
        raise DomainError(_("Only a checked correction request can correct data."))
    try:
        changed = customers.customer_correct(locked.customer_id, changes)
    except LookupError as exc:
        raise DomainError(_("This customer no longer exists."), code="not_found") from exc
    locked.status = RequestStatus.DONE
    locked.completed_at = now()
    locked.completed_by = _user(by)
    locked.outcome = {**locked.outcome, "corrected_fields": changed}
    locked.save()
    return changed


@dataclass(frozen=True)
class ErasureOutcome:
    request: PrivacyRequest
    rows: dict[str, int]
    notes: tuple[str, ...]


def privacy_erase(*, request: PrivacyRequest, reason: str, by: Any = None) -> ErasureOutcome:
    """Anonymise the request's customer everywhere Yuqi holds them (every registered source),
    keeping every row that aggregate figures count. Refused before the identity check, for a
    request that is not a deletion, and for a customer already erased."""
    reason = clean_text(reason, limit=REASON_MAX, label="reason")
    if not reason:
        raise DomainError(_("Give the reason for the erasure."), field="reason")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # overwrite freed pages: no old value stays in the file
            cursor.execute("PRAGMA secure_delete = ON")
    outcome = _erase(request=request, reason=reason, by=by)
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return outcome


@transaction.atomic
def _erase(*, request: PrivacyRequest, reason: str, by: Any) -> ErasureOutcome:
    locked = _locked(request)
    _require_verified(locked)
    if locked.kind != RequestKind.DELETION:
        raise DomainError(_("Only a deletion request can erase data."), code="conflict")
    done = Erasure.objects.filter(customer_id=locked.customer_id).first()
    if done is not None or locked.status == RequestStatus.DONE:
        raise DomainError(
            _("Customer %(ref)s was already erased on %(day)s.")
            % {
                "ref": locked.customer_ref,
                "day": timezone.localdate(done.erased_at).isoformat() if done else "",
            },
            code="conflict",
        )
    identity = customers.customer_identity(locked.customer_ref)
    if identity is None:
        raise DomainError(_("This customer no longer exists."), code="not_found")
    subject = _subject(identity)
    rows: dict[str, int] = {}
    notes: list[str] = []
    for source in personal_data_sources():
        result = source.erase(subject)
        rows[source.name] = result.rows
        notes.extend(result.notes)
    at = now()
    Erasure.objects.create(
        customer_id=identity.id, customer_ref=identity.external_id, request=locked, erased_at=at
    )
    for purpose in PURPOSE_DEFAULTS:
        ConsentEntry.objects.create(
            customer_id=identity.id,
            purpose=purpose,
            given=False,
            source=ConsentSource.ERASURE,
            at=at,
            by=_user(by),
        )
    locked.reason = erase_text(reason, subject.identifiers)
    locked.details = erase_text(locked.details, subject.identifiers)
    locked.identity_note = erase_text(locked.identity_note, subject.identifiers)
    locked.status = RequestStatus.DONE
    locked.completed_at = at
    locked.completed_by = _user(by)
    locked.outcome = {**locked.outcome, "erased_rows": rows, "notes": notes}
    locked.save()
    _scrub_own_requests(identity.id, subject)
    return ErasureOutcome(locked, rows, tuple(notes))


def _scrub_own_requests(customer_id: int, subject: DataSubject) -> None:
    """Earlier requests of the same customer may quote them in their details or notes."""
    for row in PrivacyRequest.objects.filter(customer_id=customer_id):
        fields = {
            name: erase_text(getattr(row, name), subject.identifiers)
            for name in ("details", "reason", "identity_note")
        }
        if any(getattr(row, k) != v for k, v in fields.items()):
            PrivacyRequest.objects.filter(pk=row.pk).update(**fields)


def privacy_request_refuse(*, request: PrivacyRequest, reason: str, by: Any = None) -> None:
    with transaction.atomic():
        locked = _locked(request)
        if locked.status == RequestStatus.DONE:
            raise DomainError(_("This request is already finished."), code="conflict")
        locked.status = RequestStatus.REFUSED
        locked.reason = clean_text(reason, limit=REASON_MAX, label="reason")
        locked.completed_at = now()
        locked.completed_by = _user(by)
        locked.save()


def consent_record(
    *, customer_ref: str, purpose: str, given: bool, source: str, by: Any = None
) -> ConsentEntry:
    if purpose not in PURPOSE_DEFAULTS:
        raise DomainError(_("Unknown purpose."), field="purpose")
    if source not in ConsentSource.values or source == ConsentSource.ERASURE:
        raise DomainError(_("Unknown source."), field="source")
    identity = _identity(customer_ref)
    if given and Erasure.objects.filter(customer_id=identity.id).exists():
        raise DomainError(_("This customer's data has been erased."), code="conflict")
    return ConsentEntry.objects.create(
        customer_id=identity.id, purpose=purpose, given=given, source=source, at=now(), by=_user(by)
    )


def retention_rules_ensure() -> None:
    """One rule per registered data class, with the class's default (never overwrites)."""
    for purger in retention_purgers():
        RetentionRule.objects.get_or_create(
            data_class=purger.data_class, defaults={"days": purger.default_days}
        )


def retention_purge(*, at: datetime | None = None) -> dict[str, int]:
    """Purge every data class past its retention (rules with 0 days keep for ever). Each
    rule's run is recorded on the rule (time and count), which the audit log records."""
    retention_rules_ensure()
    at = at or now()
    rules = {rule.data_class: rule for rule in RetentionRule.objects.all()}
    counts: dict[str, int] = {}
    for purger in retention_purgers():
        rule = rules[purger.data_class]
        if rule.days <= 0:
            continue
        with transaction.atomic():
            count = purger.purge(at - timedelta(days=rule.days))
            rule.last_run_at = at
            rule.last_count = count
            rule.save(update_fields=["last_run_at", "last_count"])
        counts[purger.data_class] = count
    return counts


@dataclass(frozen=True)
class ProcessingActivity:
    name: str
    label: str
    purpose: str
    categories: str
    retention: str


def processing_activities() -> list[ProcessingActivity]:
    """The record of processing activities (PIPL art. 54 audits, art. 55 assessments): one
    line per registered source, and the retention schedule."""
    retention_rules_ensure()
    rules = {rule.data_class: rule.days for rule in RetentionRule.objects.all()}
    lines = [
        ProcessingActivity(s.name, str(s.label), str(s.purpose), str(s.categories), "")
        for s in personal_data_sources()
    ]
    for purger in retention_purgers():
        days = rules.get(purger.data_class, purger.default_days)
        lines.append(
            ProcessingActivity(
                purger.data_class,
                str(purger.label),
                _("Retention"),
                "",
                _("kept for ever") if days <= 0 else _("%(days)d days") % {"days": days},
            )
        )
    return lines


def customer_identity_or_none(customer_ref: str) -> int | None:
    """The customer's key for an external id, or ``None`` (consent page look-up)."""
    found = customers.customer_identity(customer_ref) if 0 < len(customer_ref) <= 64 else None
    return found.id if found else None
