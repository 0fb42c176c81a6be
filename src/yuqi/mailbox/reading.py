"""One fetched message turned into what the intake needs (:class:`ParsedMail`), whatever
shape it arrived in: a missing sender, a broken MIME tree or an HTML-only body never raise
here; what could not be read is noted instead."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from yuqi.mailbox.content import (
    KEPT_TYPES,
    html_to_text,
    message_ids,
    normalise_text,
    safe_filename,
    sniff,
    ticket_numbers,
)

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_message_bytes: int
    max_attachment_bytes: int
    max_attachments: int


@dataclass
class Part:
    """An attachment as read: kept (``payload`` set) or refused (``note`` says why)."""

    filename: str
    declared_type: str
    detected_type: str
    size: int
    payload: bytes | None
    note: str = ""


@dataclass
class ParsedMail:
    uid: int
    size: int
    message_id: str = ""
    sender: str = ""
    sender_name: str = ""
    subject: str = ""
    text: str = ""
    references: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _header(msg: Any, name: str) -> str:
    try:
        values = msg.headers.get(name) or ()
    except Exception:
        return ""
    return " ".join(str(v) for v in values)[:4000]


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"


def parse_message(
    msg: Any, *, uid: int, size: int, limits: Limits, headers_only: bool
) -> ParsedMail:
    """Read an imap-tools ``MailMessage`` (``headers_only`` when the message was too big to
    fetch whole)."""
    parsed = ParsedMail(uid=uid, size=size)
    parsed.message_id = _header(msg, "message-id").strip()[:255]
    try:
        sender = msg.from_values
    except Exception:
        sender = None
    if sender is not None and "@" in (sender.email or ""):
        parsed.sender = sender.email.strip().lower()[:254]
        parsed.sender_name = normalise_text(sender.name or "")[:200]
    try:
        parsed.subject = normalise_text(msg.subject or "").replace("\n", " ")[:250]
    except Exception:
        parsed.notes.append(_("The subject could not be decoded."))
    parsed.references = message_ids(_header(msg, "in-reply-to"), _header(msg, "references"))
    parsed.numbers = ticket_numbers(parsed.subject)
    if headers_only:
        parsed.notes.append(
            _("The message is too large (%(size)s, limit %(limit)s): only its headers were read.")
            % {"size": _mb(size), "limit": _mb(limits.max_message_bytes)}
        )
        return parsed
    parsed.text = _body_text(msg, parsed)
    _attachments(msg, parsed, limits)
    return parsed


def _body_text(msg: Any, parsed: ParsedMail) -> str:
    try:
        text = msg.text or ""
    except Exception:
        text = ""
        parsed.notes.append(_("The text part could not be decoded."))
    if text.strip():
        return normalise_text(text)
    try:
        markup = msg.html or ""
    except Exception:
        markup = ""
        parsed.notes.append(_("The HTML part could not be decoded."))
    if markup.strip():
        parsed.notes.append(_("HTML only: kept as plain text."))
        return html_to_text(markup)
    return ""


def _attachments(msg: Any, parsed: ParsedMail, limits: Limits) -> None:
    try:
        attachments = list(msg.attachments)
    except Exception:
        parsed.notes.append(_("The attachments could not be read (broken MIME structure)."))
        return
    for index, item in enumerate(attachments):
        try:
            name = safe_filename(item.filename or "")
            declared = str(item.content_type or "")[:100]
            payload = item.payload or b""
        except Exception:
            parsed.notes.append(_("An attachment could not be decoded."))
            continue
        size = len(payload)
        detected = sniff(payload[:2048])
        part = Part(name, declared, detected, size, None)
        if index >= limits.max_attachments:
            part.note = _("More than %(n)s attachments: not kept.") % {"n": limits.max_attachments}
        elif size > limits.max_attachment_bytes:
            part.note = _("Too large (%(size)s, limit %(limit)s): not kept.") % {
                "size": _mb(size),
                "limit": _mb(limits.max_attachment_bytes),
            }
        elif detected not in KEPT_TYPES:
            part.note = _("Type %(type)s is not accepted: not kept.") % {"type": detected}
        elif size == 0:
            part.note = _("Empty: not kept.")
        else:
            part.payload = payload
        parsed.parts.append(part)
