"""Delivery channels: e-mail through Django's e-mail backends, SMS through a gateway backend.

A :class:`Channel` takes one :class:`Outgoing` message and answers a :class:`DeliveryResult`;
it never raises for a delivery problem (the error text is returned and logged on the message).

SMS gateways differ per operator and vendor (China Mobile/Unicom/Telecom SMS platforms,
Alibaba Cloud SMS, Tencent Cloud SMS…), each with its own signature, template approval and
HTTP API. Yuqi ships no real gateway: ``YUQI_SMS_BACKEND`` picks one of the backends below, or
the dotted path of an integrator's subclass of :class:`SmsBackend`.

* ``file`` (default): appends one JSON line per message to ``$YUQI_DATA_DIR/outbox/sms.jsonl``
  (0600, in a 0700 folder);
* ``console``: prints a masked one-line summary to standard output (never the text);
* ``locmem``: keeps messages in :data:`outbox` (tests);
* ``aliyun`` and ``tencent``: Alibaba Cloud SMS and Tencent Cloud SMS through their official
  SDKs (:mod:`yuqi.notifications.gateways`; ``pip install 'yuqi[sms]'``).
"""

from __future__ import annotations

import json
import re
import sys
import threading
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from yuqi.core.clock import now
from yuqi.core.private_files import open_private, private_dir
from yuqi.domain.pii import mask_phone


@dataclass(frozen=True)
class Outgoing:
    """What a channel delivers: already rendered, in the recipient's language."""

    address: str  # e-mail address or phone number
    subject: str
    body: str
    language: str
    ref: str  # "complaint:42"
    message_id: int | None = None
    template: str = ""  # the Yuqi template name ("complaint_received"): the gateway's kind
    params: Mapping[str, str] = field(default_factory=dict)  # template variables' values


@dataclass(frozen=True)
class DeliveryResult:
    ok: bool
    error: str = ""
    provider_id: str = ""  # the gateway's message id, when it gives one
    retryable: bool = False  # a transient failure (timeout, 5xx, throttling): try again later
    provider: str = ""  # the gateway that answered ("aliyun", "tencent")


class Channel(Protocol):
    name: str

    def send(self, message: Outgoing) -> DeliveryResult: ...


def outbound_message_id(message: Outgoing) -> str:
    """A Message-ID naming what the e-mail is about (``<…yuqi-complaint-42@host>``), so a
    customer's reply (In-Reply-To/References) can be threaded onto it by the e-mail intake
    even when the subject was changed."""
    return _message_id(message.ref)


@lru_cache(maxsize=4096)
def _about(ref: str) -> str:
    """``complaint:42`` → ``complaint-42`` (a batch has a few messages per reference)."""
    return re.sub(r"[^a-z0-9]+", "-", ref.lower()).strip("-")[:40] or "message"


def _message_id(ref: str) -> str:
    from email.utils import make_msgid

    from django.core.mail.utils import DNS_NAME

    # the host name looked up once per process (as Django's own messages do), not per message
    return make_msgid(idstring=f"yuqi-{_about(ref)}", domain=str(DNS_NAME))


class EmailChannel:
    """Plain-text e-mail through Django's default mailer (``MAILERS``, set from
    ``YUQI_EMAIL_BACKEND``: console in development, SMTP in production, locmem in tests);
    the sender is ``DEFAULT_FROM_EMAIL``."""

    name = "email"

    def __init__(self, mailer: Any = None) -> None:
        # one open mailer shared by a batch (None: the default mailer, per message)
        self.mailer = mailer

    def send(self, message: Outgoing) -> DeliveryResult:
        error = self.deliver(message.address, message.subject, message.body, message.ref)
        return DeliveryResult(not error, error)

    def deliver(self, address: str, subject: str, body: str, ref: str) -> str:
        """Send one e-mail; the error ("" when it was sent). For batches: no :class:`Outgoing`
        or :class:`DeliveryResult` per message."""
        try:
            email = EmailMessage(
                subject=subject,
                body=body,
                to=[address],
                headers={"X-Yuqi-Ref": ref, "Message-ID": _message_id(ref)},
            )
            sent = email.send() if self.mailer is None else self.mailer.send_messages([email])
        except Exception as exc:  # SMTP, DNS, TLS…: logged on the message, never raised
            return f"{type(exc).__name__}: {exc}"
        return "" if sent else "the e-mail backend sent nothing"


# ---------------------------------------------------------------------------------- SMS
class SmsBackend:
    """Base class of SMS gateways. Subclass it and override :meth:`send_sms`; set
    ``YUQI_SMS_BACKEND`` to the class's dotted path.

    Alibaba Cloud and Tencent Cloud ship in :mod:`yuqi.notifications.gateways`; another
    gateway should return ``DeliveryResult(ok=False, error=..., retryable=...)`` for refusals
    and network errors rather than raise, put the vendor's message id in ``provider_id``, and
    keep any credentials in its own environment variables. The body is the complete text;
    template gateways use ``message.template`` and ``message.params`` instead.
    """

    def send_sms(self, message: Outgoing) -> DeliveryResult:
        raise NotImplementedError


def _record(message: Outgoing) -> dict:
    return {"at": now().isoformat(), **asdict(message)}


class FileSmsBackend(SmsBackend):
    """Appends a JSON line per message to ``<data dir>/outbox/sms.jsonl`` (the default):
    nothing leaves the machine, and an operator can read what would have been sent."""

    _lock = threading.Lock()

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or Path(settings.DATA_DIR) / "outbox" / "sms.jsonl"

    def send_sms(self, message: Outgoing) -> DeliveryResult:
        try:
            private_dir(self.path.parent)
            line = json.dumps(_record(message), ensure_ascii=False)
            with self._lock, open_private(self.path, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        except OSError as exc:
            return DeliveryResult(False, f"{type(exc).__name__}: {exc}")
        return DeliveryResult(True)


class ConsoleSmsBackend(SmsBackend):
    """Prints one line per message to standard output (development): the masked number, the
    reference and the length of the text, never the text (it may hold the customer's name and
    a live survey link; the ``file`` backend keeps it, privately)."""

    def send_sms(self, message: Outgoing) -> DeliveryResult:
        sys.stdout.write(
            f"SMS to {mask_phone(message.address)} [{message.ref}]: {len(message.body)} "
            "characters (withheld; YUQI_SMS_BACKEND=file keeps them in the data folder)\n"
        )
        sys.stdout.flush()
        return DeliveryResult(True)


#: Messages "sent" by :class:`LocmemSmsBackend`, like ``django.core.mail.outbox``.
outbox: list[Outgoing] = []


class LocmemSmsBackend(SmsBackend):
    """Keeps messages in :data:`outbox` (tests)."""

    def send_sms(self, message: Outgoing) -> DeliveryResult:
        outbox.append(message)
        return DeliveryResult(True)


SMS_BACKENDS: dict[str, type[SmsBackend] | str] = {
    "file": FileSmsBackend,
    "console": ConsoleSmsBackend,
    "locmem": LocmemSmsBackend,
    "aliyun": "yuqi.notifications.gateways.AliyunSmsBackend",
    "tencent": "yuqi.notifications.gateways.TencentSmsBackend",
}


def sms_backend() -> SmsBackend:
    """The backend named by ``settings.SMS_BACKEND`` (a short name or a dotted path)."""
    name = getattr(settings, "SMS_BACKEND", "file")
    found = SMS_BACKENDS.get(name) or name
    cls: type[SmsBackend] = import_string(found) if isinstance(found, str) else found
    return cls()


class SmsChannel:
    name = "sms"

    def __init__(self, backend: SmsBackend | None = None) -> None:
        self.backend = backend

    def send(self, message: Outgoing) -> DeliveryResult:
        try:
            backend = self.backend or sms_backend()
            return backend.send_sms(message)
        except Exception as exc:  # a broken gateway never breaks the caller
            return DeliveryResult(False, f"{type(exc).__name__}: {exc}")


def channel(name: str) -> Channel:
    if name == "email":
        return EmailChannel()
    if name == "sms":
        return SmsChannel()
    raise ValueError(f"unknown channel {name!r}: expected email or sms")
