"""What other contexts may use of notifications (ADR 0002).

* :func:`notify_customer` — status updates to a customer by SMS and/or e-mail;
* :func:`notify_users` — e-mail to staff (reminders, SLA alerts);
* :func:`messages_about` — the message log of a ticket, promise or invitation.

``subject`` is a reference string ``"<kind>:<id>"`` (``"complaint:42"``); ``template`` names
``templates/notifications/<template>.txt`` (see :mod:`yuqi.notifications.rendering`).

Every message is logged, in the caller's transaction, and delivered after it commits (see
:mod:`yuqi.notifications.services`): the returned :class:`SentMessage` is ``queued`` inside a
transaction, and ``sent``/``failed``/``skipped`` outside one. Nothing here raises because a
channel failed; an unknown template raises ``TemplateDoesNotExist`` (a programming error).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from yuqi.core.bulk import unsaved_many
from yuqi.core.clock import now
from yuqi.core.compiled_reads import CompiledRead
from yuqi.customers.facade import customer_contact
from yuqi.domain.pii import mask_email, mask_phone
from yuqi.notifications.choices import CODE_KIND, ChannelName, MessageStatus
from yuqi.notifications.models import OutboundMessage
from yuqi.notifications.rendering import Rendered, names_recipient, render_message
from yuqi.notifications.services import (
    message_log,
    messages_deliver_many_on_commit,
    messages_deliver_on_commit,
    messages_log_many,
)
from yuqi.notifications.templatetags.notifications_format import local_time

__all__ = [
    "CODE_KIND",
    "SentMessage",
    "UserNotice",
    "messages_about",
    "notify_customer",
    "notify_users",
    "notify_users_many",
]


@dataclass(frozen=True)
class SentMessage:
    """One logged message; ``recipient`` is masked (``138****5678``, ``z***@example.cn``)."""

    id: int
    subject_ref: str
    channel: str
    recipient: str
    language: str
    template: str
    subject: str
    body: str
    status: str
    error: str
    created_at: datetime
    sent_at: datetime | None

    @property
    def channel_label(self) -> str:
        return str(ChannelName(self.channel).label)

    @property
    def status_label(self) -> str:
        return str(MessageStatus(self.status).label)

    @property
    def preview(self) -> str:
        """The body for the message log: survey links masked (a live token answers the
        survey as the customer), cut to one line."""
        text = mask_links(" ".join(self.body.split()))
        return text if len(text) <= 80 else text[:79] + "…"


_SURVEY_LINK = re.compile(r"(/s/)[A-Za-z0-9_\-.:~]+")


def mask_links(text: str) -> str:
    """``text`` with the token of every survey link replaced by ``…`` (``/s/…``)."""
    return _SURVEY_LINK.sub(r"\1…", text)


def to_sent_message(row: OutboundMessage) -> SentMessage:
    return SentMessage(
        id=row.pk,
        subject_ref=row.subject_ref,
        channel=row.channel,
        recipient=row.recipient,
        language=row.language,
        template=row.template,
        subject=row.subject,
        body=row.body,
        status=row.status,
        error=row.error,
        created_at=row.created_at,
        sent_at=row.sent_at,
    )


def _lines(ids: list[int]) -> list[SentMessage]:
    rows = {row.pk: row for row in OutboundMessage.objects.filter(pk__in=ids)}
    return [to_sent_message(rows[pk]) for pk in ids if pk in rows]


def _mask(channel: str, address: str) -> str:
    if not address:
        return ""
    return mask_phone(address) if channel == ChannelName.SMS else mask_email(address)


def notify_customer(
    *,
    customer_id: int,
    template: str,
    context: dict[str, Any],
    subject: str,
    channels: tuple[str, ...] = ("sms", "email"),
    language: str | None = None,
    purpose: str = "service",
) -> list[SentMessage]:
    """Send a message to a customer on each channel (one log row per channel).

    The language is ``language``, else the customer's preference (Chinese, ``zh-hans``, until
    customers have one). A channel without an address (no phone, no e-mail) is logged as
    ``skipped``. The template gets ``context`` plus ``recipient_name``. ``purpose`` other
    than ``service`` (``survey``, ``marketing``) is checked against the consent ledger
    (``privacy.facade.may_contact``); refused, every channel is logged as ``skipped``.
    """
    from yuqi.privacy.facade import may_contact

    refused = not may_contact(customer_id, purpose)
    try:
        contact = customer_contact(customer_id)
    except LookupError:
        contact = None
    lang = language or (contact.language if contact else settings.LANGUAGE_CODE)
    full_context = {"recipient_name": contact.name if contact else "", **context}
    rendered = render_message(template, full_context, lang)
    ids, queued = [], []
    for name in channels:
        ChannelName(name)  # ValueError for an unknown channel name
        address = ""
        if contact is not None:
            address = contact.phone if name == ChannelName.SMS else contact.email
        reason = "" if address else _no_address(name, contact is None)
        if refused:
            reason = _("The customer does not consent to this kind of message.")
        row = message_log(
            subject_ref=subject,
            channel_name=name,
            address=address,
            recipient=_mask(name, address),
            language=lang,
            template=template,
            subject=rendered.subject,
            body=rendered.body,
            customer_id=customer_id,
            skip_reason=reason,
            params=template_params(full_context) if name == ChannelName.SMS else None,
        )
        ids.append(row.pk)
        if row.status == MessageStatus.QUEUED:
            queued.append(row.pk)
    messages_deliver_on_commit(message_ids=queued)
    return _lines(ids)


def template_params(context: dict[str, Any]) -> dict[str, str]:
    """The message's values as the strings a template gateway fills its variables with:
    scalars only (times in local time, ``MM-DD HH:MM``), at most 20, each at most 100
    characters (the gateway cuts them further)."""
    from django.utils import timezone
    from django.utils.functional import Promise

    values: dict[str, str] = {}
    for key, value in context.items():
        if len(values) >= 20:
            break
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, datetime):
            text = (
                f"{timezone.localtime(value):%m-%d %H:%M}"
                if value.tzinfo
                else f"{value:%m-%d %H:%M}"
            )
        elif isinstance(value, (str, int, float, Promise)):
            text = str(value)
        else:
            continue
        values[str(key)[:40]] = text[:100]
    return values


def _no_address(channel: str, unknown: bool) -> str:
    if unknown:
        return _("No such customer.")
    if channel == ChannelName.SMS:
        return _("No phone number on record.")
    return _("No e-mail address on record.")


def notify_users(
    *, user_ids: Iterable[int], template: str, context: dict[str, Any], subject: str
) -> list[SentMessage]:
    """E-mail active users (staff alerts and reminders) in the site language (users have no
    language preference of their own yet); a user without an e-mail address is ``skipped``."""
    users = get_user_model().objects.filter(pk__in=set(user_ids), is_active=True).order_by("pk")
    lang = settings.LANGUAGE_CODE
    ids, queued = [], []
    for user in users:
        rendered = render_message(template, {"recipient_name": str(user), **context}, lang)
        row = message_log(
            subject_ref=subject,
            channel_name=ChannelName.EMAIL,
            address=user.email,
            recipient=_mask(ChannelName.EMAIL, user.email),
            language=lang,
            template=template,
            subject=rendered.subject,
            body=rendered.body,
            user_id=user.pk,
            skip_reason="" if user.email else _("No e-mail address on record."),
        )
        ids.append(row.pk)
        if row.status == MessageStatus.QUEUED:
            queued.append(row.pk)
    messages_deliver_on_commit(message_ids=queued)
    return _lines(ids)


def _messages_about(*, subject: str) -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(subject_ref=subject).order_by("created_at", "pk")


#: The ticket's outbound messages, compiled once per database (building and compiling the
#: read was about half a millisecond of every ticket page).
MESSAGES_ABOUT_READ = CompiledRead(
    _messages_about, model=OutboundMessage, subject=OutboundMessage._meta.get_field("subject_ref")
)


def messages_about(subject: str) -> list[SentMessage]:
    """Messages logged under a reference, oldest first (as a timeline reads)."""
    return [to_sent_message(row) for row in MESSAGES_ABOUT_READ.objects(subject=subject)]


@dataclass(frozen=True)
class UserNotice:
    """One message to some users, for :func:`notify_users_many` (the arguments of
    :func:`notify_users`). ``varying`` names the context values that differ from notice to
    notice and are only printed (a number, a link, a time): notices alike in the rest share
    one rendering, with those values put in (checked against a full rendering first)."""

    user_ids: tuple[int, ...]
    template: str
    context: dict[str, Any]
    subject: str
    varying: tuple[str, ...] = ()


def notify_users_many(notices: Sequence[UserNotice]) -> list[int]:
    """:func:`notify_users` for many notices at once (set-based jobs such as the SLA sweep):
    the users read in one query, notices rendered once per shape (per recipient only if the
    template uses ``recipient_name``), the log and audit rows written in bulk, and delivery in
    batches after the commit. Returns the ids of the logged messages."""
    wanted = {pk for notice in notices for pk in notice.user_ids}
    users = {
        user.pk: user
        for user in get_user_model().objects.filter(pk__in=wanted, is_active=True).order_by("pk")
    }
    lang = settings.LANGUAGE_CODE
    created_at = now()
    shapes = _Shapes()
    # per user, the columns every message to them shares (masked address, status, error)
    queued, skipped_as = str(MessageStatus.QUEUED), str(MessageStatus.SKIPPED)
    no_address = _("No e-mail address on record.")
    per_user = {
        pk: {
            "address": user.email,
            "recipient": _mask(ChannelName.EMAIL, user.email),
            "user_id": pk,
            "status": queued if user.email else skipped_as,
            "error": "" if user.email else no_address,
        }
        for pk, user in users.items()
    }
    email = str(ChannelName.EMAIL)
    values: list[dict[str, Any]] = []
    for notice in notices:
        personal = names_recipient(notice.template)
        shared = None
        for pk in sorted(set(notice.user_ids)):
            user = users.get(pk)
            if user is None:
                continue
            if personal:
                rendered = render_message(
                    notice.template, {"recipient_name": str(user), **notice.context}, lang
                )
            elif shared is None:
                rendered = shared = _render_shaped(notice, lang, shapes)
            else:
                rendered = shared
            values.append(
                {
                    "subject_ref": notice.subject,
                    "channel": email,
                    "language": lang,
                    "template": notice.template,
                    "subject": rendered.subject[:250],
                    "body": rendered.body,
                    "created_at": created_at,
                    **per_user[pk],
                }
            )
    rows = unsaved_many(OutboundMessage, values)
    created = messages_log_many(rows=rows)
    messages_deliver_many_on_commit(message_ids=[row.pk for row in created if row.status == queued])
    return [row.pk for row in created]


@dataclass(frozen=True)
class _Shape:
    """A rendering with the varying values left out: ``str.format`` texts whose ``{i}`` is
    the ``i``-th of the notice's ``varying`` values (the rest of the text, braces escaped,
    is as rendered: a value put in is never read as a format or template)."""

    subject: str
    body: str


def _mark(key: str) -> str:
    return f"\ue000yuqi:{key}\ue001"  # private-use characters: not whitespace, never typed


def _printed(value: Any) -> str:
    """A value as a message template prints it (times through ``local_time``)."""
    if isinstance(value, datetime):
        return local_time(value)
    return "" if value is None else str(value)


def _shape(marked: Rendered, varying: tuple[str, ...]) -> _Shape:
    def formatted(text: str) -> str:
        text = text.replace("{", "{{").replace("}", "}}")
        for index, key in enumerate(varying):
            text = text.replace(_mark(key), f"{{{index}}}")
        return text

    return _Shape(formatted(marked.subject), formatted(marked.body))


#: What a full rendering may treat otherwise than a value put into a line: a line break
#: (the subject is the first line), a character HTML escaping changes.
_NOT_PLAIN = re.compile("[\r\n\v\f\x1c-\x1e\x85\u2028\u2029<>&\"']")


def _plain_values(notice: UserNotice) -> list[str] | None:
    """The notice's varying values as printed, or None when one is a value a full rendering
    might treat otherwise than text put into a line: empty (as a template's ``{% if %}``
    reads it), with a line break or outer white space (cut or stripped with the lines), with
    ``<>&"'`` (escaped by a template not in ``autoescape off``). Such a notice is rendered in
    full."""
    values = [_printed(notice.context.get(key)) for key in notice.varying]
    for value in values:
        if not value or value != value.strip() or _NOT_PLAIN.search(value):
            return None
    return values


def _fill(shape: _Shape, values: list[str]) -> Rendered:
    return Rendered(subject=shape.subject.format(*values), body=shape.body.format(*values))


class _Shapes:
    """A batch's shapes by key, and the text of each context value the keys name, made once
    per object: the notices of a batch share their labels (lazy translations, translated again
    at each ``str``). The object is kept with its text, so its id is not reused meanwhile."""

    def __init__(self) -> None:
        self.by_key: dict[tuple, _Shape | None] = {}
        self._texts: dict[int, tuple[Any, str]] = {}

    def text(self, value: Any) -> str:
        if type(value) is str:
            return value
        seen = self._texts.get(id(value))
        if seen is None or seen[0] is not value:
            seen = self._texts[id(value)] = (value, str(value))
        return seen[1]


def _render_shaped(notice: UserNotice, lang: str, shapes: _Shapes) -> Rendered:
    """Render ``notice`` (no recipient name): once per shape, then fill in the varying values;
    a shape whose filled-in text differs from a full rendering is rendered in full each time."""
    if not notice.varying:
        return render_message(notice.template, {"recipient_name": "", **notice.context}, lang)
    fixed = tuple(
        sorted(
            (k, type(v).__name__, shapes.text(v))
            for k, v in notice.context.items()
            if k not in notice.varying
        )
    )
    key = (notice.template, notice.varying, fixed)
    values = _plain_values(notice)
    shape = shapes.by_key.get(key)
    if values is not None and shape is not None:
        return _fill(shape, values)
    context = {"recipient_name": "", **notice.context}
    full = render_message(notice.template, context, lang)
    if values is not None and key not in shapes.by_key:  # made and checked once per shape
        marked = render_message(
            notice.template, {**context, **{k: _mark(k) for k in notice.varying}}, lang
        )
        made = _shape(marked, notice.varying)
        shapes.by_key[key] = made if _fill(made, values) == full else None
    return full


def notify_phone(
    *,
    phone: str,
    template: str,
    context: dict[str, Any],
    subject: str,
    language: str | None = None,
    secret: str = "",
) -> SentMessage:
    """Send an SMS to a number that need not belong to a customer yet (a one-time code for the
    public complaint form), logged like every message and delivered at once, not after a
    commit. A template gateway gets the provider's template code for ``template`` and the
    values of ``context`` as its parameters, never the free text.

    ``secret`` (the code) is replaced by ``******`` in the stored text and parameters once the
    message has been handed to the gateway, so the message log never shows a live code; such
    a message is not tried again later (a code that comes minutes late is of no use, and
    keeping it for a retry would keep it readable): the customer asks for a new one."""
    from yuqi.notifications.services import messages_deliver

    lang = language or settings.LANGUAGE_CODE
    rendered = render_message(template, dict(context), lang)
    row = message_log(
        subject_ref=subject,
        channel_name=ChannelName.SMS,
        address=phone,
        recipient=_mask(ChannelName.SMS, phone),
        language=lang,
        template=template,
        subject=rendered.subject,
        body=rendered.body,
        params=template_params(dict(context)),
    )
    if row.status == MessageStatus.QUEUED:
        messages_deliver(message_ids=[row.pk])
    if secret:
        _forget_secret(row.pk, secret)
    return _lines([row.pk])[0]


def _forget_secret(message_id: int, secret: str) -> None:
    """Star ``secret`` out of a message's text and parameters; a message still waiting for a
    retry fails instead."""
    row = OutboundMessage.objects.filter(pk=message_id).first()
    if row is None:
        return
    changes: dict[str, Any] = {
        "body": row.body.replace(secret, "******"),
        "params": {
            key: str(value).replace(secret, "******") for key, value in (row.params or {}).items()
        },
    }
    if row.status == MessageStatus.QUEUED:
        changes.update(
            status=MessageStatus.FAILED,
            next_attempt_at=None,
            error=_("%(error)s A one-time code is not sent again later.")
            % {"error": row.error or _("Not sent.")},
        )
    OutboundMessage.objects.filter(pk=message_id).update(**changes)
