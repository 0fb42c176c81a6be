"""One-time SMS codes that prove a customer holds a phone number (the public form and the
status look-up).

* a code is 6 random digits, sent through the notifications context's SMS path; only a keyed
  hash (HMAC-SHA256 with the site's secret) of it and of the phone number is stored, and the
  message log keeps the text with the code starred out;
* it expires after ``YUQI_CODE_MINUTES`` (10) minutes and is used once;
* each wrong try is counted; the fifth locks the code, and no new code goes to that number for
  ``YUQI_CODE_LOCK_MINUTES`` (15) minutes;
* sending is rate-limited per number (one a minute, five an hour) and per client address
  (ten an hour), so the form cannot be used to flood a phone with texts;
* the text goes through the provider's approved template (``YUQI_SMS_CODE_TEMPLATE``, or a
  ``verification_code`` row under Settings → SMS templates) with the code as a parameter; quiet
  hours never hold it, and it counts under the daily limit per number (past it the customer is
  told to try tomorrow).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from yuqi.channels.models import VerificationCode
from yuqi.channels.throttle import allow
from yuqi.core.clock import now
from yuqi.core.errors import DomainError

MAX_WRONG = 5
CODE_DIGITS = 6


def code_minutes() -> int:
    return int(getattr(settings, "YUQI_CODE_MINUTES", 10))


def lock_minutes() -> int:
    return int(getattr(settings, "YUQI_CODE_LOCK_MINUTES", 15))


def _keyed(text: str) -> str:
    key = hashlib.sha256(("yuqi-channels:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def phone_key(phone: str) -> str:
    """A keyed hash of the number (rows find each other by it; the number is not stored)."""
    return _keyed("phone:" + phone)


def _code_hash(row_key: str, code: str) -> str:
    return _keyed(f"code:{row_key}:{code}")


class Throttled(DomainError):
    """Too many codes or posts: try again later."""


def _locked_recently(key: str, purpose: str) -> bool:
    since = now() - timedelta(minutes=lock_minutes())
    return VerificationCode.objects.filter(
        phone_key=key, purpose=purpose, locked_at__gte=since
    ).exists()


def code_send(
    *, phone: str, purpose: str, client: str, language: str, ticket_number: str = ""
) -> None:
    """Send a new code to ``phone`` (earlier unused codes for the same purpose stop working).

    Raises :class:`Throttled` when the number or the client address asked too often, or
    the number's last code was locked by wrong tries.
    """
    from yuqi.notifications.facade import CODE_KIND, notify_phone

    key = phone_key(phone)
    if _locked_recently(key, purpose):
        raise Throttled(
            _("Too many wrong codes. Please try again in %(minutes)s minutes.")
            % {"minutes": lock_minutes()},
            field="code",
            code="locked",
        )
    if not (
        allow(f"code-client:{client}", limit=10, seconds=3600)
        and allow(f"code-phone-minute:{purpose}:{key}", limit=1, seconds=60)
        and allow(f"code-phone-hour:{purpose}:{key}", limit=5, seconds=3600)
    ):
        raise Throttled(
            _("Too many codes were asked for. Please wait a minute and try again."),
            field="phone",
            code="throttled",
        )
    at = now()
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        VerificationCode.objects.filter(
            phone_key=key, purpose=purpose, used_at__isnull=True, expires_at__gt=at
        ).update(expires_at=at)
        VerificationCode.objects.create(
            purpose=purpose,
            phone_key=key,
            ticket_number=ticket_number,
            code_hash=_code_hash(key, code),
            created_at=at,
            expires_at=at + timedelta(minutes=code_minutes()),
        )
    sent = notify_phone(
        phone=phone,
        template=CODE_KIND,
        context={"code": code, "minutes": code_minutes()},
        subject=f"code:{purpose}",
        language=language,
        secret=code,
    )
    if sent.status == "skipped":  # the number's daily limit of texts is reached
        raise Throttled(
            _("No more text messages can be sent to this number today. Please try tomorrow."),
            field="phone",
            code="daily_limit",
        )


@dataclass(frozen=True)
class CodeCheck:
    """``ok``; else why not: ``missing`` (no live code), ``expired``, ``wrong`` (with the
    tries left), ``locked``."""

    outcome: str
    tries_left: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def code_check(*, phone: str, purpose: str, code: str, ticket_number: str = "") -> CodeCheck:
    """Check ``code`` against the newest code sent to ``phone`` for ``purpose``; a right code
    is used up, a wrong one counted (the fifth locks it)."""
    key = phone_key(phone)
    at = now()
    with transaction.atomic():
        row = (
            VerificationCode.objects.select_for_update()
            .filter(phone_key=key, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at", "-id")
            .first()
        )
        if row is None or (ticket_number and row.ticket_number != ticket_number):
            return CodeCheck("missing")
        if row.locked_at is not None:
            return CodeCheck("locked")
        if row.expires_at <= at:
            return CodeCheck("expired")
        given = "".join(code.split())[: CODE_DIGITS + 2]
        if hmac.compare_digest(row.code_hash, _code_hash(key, given)):
            row.used_at = at
            row.save(update_fields=["used_at"])
            return CodeCheck("ok")
        row.attempts += 1
        fields = ["attempts"]
        if row.attempts >= MAX_WRONG:
            row.locked_at = at
            fields.append("locked_at")
        row.save(update_fields=fields)
        if row.locked_at is not None:
            return CodeCheck("locked")
        return CodeCheck("wrong", MAX_WRONG - row.attempts)
