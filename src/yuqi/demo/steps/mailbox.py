"""Demo step: the intake mailbox already read. Four e-mails go through the mailbox's own run
(``mailbox_poll``) from a mailbox held in memory instead of an IMAP server:

* a reply quoting an open ticket's number in its subject: threaded onto that ticket;
* a message from a customer's address with no ticket: a new ticket for that customer (the
  sender matched by address);
* a reply to that message (``In-Reply-To``) with a photo: threaded onto the new ticket, the
  photo kept;
* a reply to another open ticket with a program attached: threaded, the file refused.

All of it shows on the mailbox page (/mailbox/) and on the tickets' timelines.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

from yuqi.core.clock import now

UIDVALIDITY = 20261206
DOMAIN = "demo.yuqi.invalid"


@dataclass(frozen=True)
class DemoMailbox:
    read: int
    created: int
    threaded: int
    refused_attachments: int
    tickets: tuple[str, ...]

    def summary(self) -> str:
        return (
            f"  mailbox: {self.read} e-mails read, {self.threaded} threaded onto tickets, "
            f"{self.created} new ticket(s) ({', '.join(self.tickets) or '—'}), "
            f"{self.refused_attachments} attachment refused (/mailbox/)"
        )


class _MemoryMailbox:
    """What ``mailbox_poll`` asks of imap-tools' ``MailBox``, over messages in memory."""

    def __init__(self, messages: list[bytes]) -> None:
        self.messages = dict(enumerate(messages, start=1))
        self.folder = self
        self.seen: set[str] = set()

    def __enter__(self) -> _MemoryMailbox:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def login(self, user: str, password: str, initial_folder: str = "INBOX") -> _MemoryMailbox:
        return self

    def status(self, folder: str, names: list[str]) -> dict[str, int]:
        return {"UIDVALIDITY": UIDVALIDITY}

    def exists(self, folder: str) -> bool:
        return True

    def create(self, folder: str) -> None:
        return None

    def uids(self, criteria: str = "ALL") -> list[str]:
        return [str(uid) for uid in self.messages]

    def fetch(
        self, *, uid_list: list[str], mark_seen: bool = False, headers_only: bool = False
    ) -> Iterator[Any]:
        from imap_tools import MailMessage

        for text in uid_list:
            uid = int(text)
            raw = self.messages.get(uid)
            if raw is None:
                continue
            data = raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n" if headers_only else raw
            head = b"%d (UID %d RFC822.SIZE %d BODY[] {%d}" % (uid, uid, len(raw), len(data))
            yield MailMessage([(head, data), b")"])

    def flag(self, names: list[str], flags: Any, value: bool) -> None:
        self.seen.update(names)

    def move(self, names: list[str], folder: str) -> None:
        return None


def _message(
    *,
    sender: tuple[str, str],
    subject: str,
    text: str,
    ident: str,
    reply_to: str = "",
    files: tuple[tuple[str, str, bytes], ...] = (),
) -> EmailMessage:
    name, address = sender
    user, _at, domain = address.partition("@")
    msg = EmailMessage()
    msg["From"] = Address(name, user, domain)
    msg["To"] = Address("客服中心", "kefu", DOMAIN)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now())
    msg["Message-ID"] = f"<{ident}@{DOMAIN}>"
    if reply_to:
        msg["In-Reply-To"] = reply_to
        msg["References"] = reply_to
    msg.set_content(text)
    for filename, content_type, payload in files:
        main, sub = content_type.split("/", 1)
        msg.add_attachment(payload, maintype=main, subtype=sub, filename=filename)
    return msg


def _photo() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def load_demo_mailbox() -> DemoMailbox:
    """Read four demo e-mails into the mailbox: two open tickets get replies, one customer
    writes in anew (and then again with a photo); one attachment is refused."""
    from yuqi.complaints.models import Complaint
    from yuqi.customers.models import Customer
    from yuqi.mailbox.models import InboundAttachment, InboundMail
    from yuqi.mailbox.services import MailboxConfig, mailbox_poll

    open_tickets = list(
        Complaint.objects.exclude(customer__email="")
        .exclude(state="closed")
        .select_related("customer")
        .order_by("opened_at", "id")[:2]
    )
    busy = {ticket.customer_id for ticket in open_tickets}
    writer = (
        Customer.objects.exclude(email="").exclude(pk__in=busy).order_by("-monthly_value", "pk")
    ).first()
    messages: list[EmailMessage] = []
    if open_tickets:
        first = open_tickets[0]
        messages.append(
            _message(
                sender=(first.customer.name, first.customer.email),
                subject=f"回复：工单 {first.number} 的处理进度",
                text=(
                    "您好，我昨天已经按要求重启过设备，问题还在。请尽快安排工程师上门，"
                    "周末全天都有人在家。"
                ),
                ident="demo-reply-1",
            )
        )
    if writer is not None:
        messages.append(
            _message(
                sender=(writer.name, writer.email),
                subject="宽带每天晚上都掉线",
                text=(
                    "最近一周每天晚上八点以后宽带就频繁掉线，孩子上网课受影响。"
                    "希望尽快派人检查线路，并说明什么时候能修好。"
                ),
                ident="demo-new-1",
            )
        )
        messages.append(
            _message(
                sender=(writer.name, writer.email),
                subject="Re: 宽带每天晚上都掉线",
                text="补充一张光猫指示灯的照片，LOS 灯一直在闪红灯。",
                ident="demo-new-2",
                reply_to=f"<demo-new-1@{DOMAIN}>",
                files=(("光猫指示灯.png", "image/png", _photo()),),
            )
        )
    if len(open_tickets) > 1:
        second = open_tickets[1]
        messages.append(
            _message(
                sender=(second.customer.name, second.customer.email),
                subject=f"Re: [{second.number}] 账单明细",
                text="附件是我导出的账单查看工具，请你们自己打开看一下多扣的那笔费用。",
                ident="demo-reply-2",
                files=(
                    ("账单查看器.exe", "application/octet-stream", b"MZ\x90\x00" + b"\x00" * 256),
                ),
            )
        )
    if not messages:
        return DemoMailbox(0, 0, 0, 0, ())
    box = _MemoryMailbox([message.as_bytes(policy=SMTP) for message in messages])
    config = MailboxConfig(host="memory", port=0, user=f"kefu@{DOMAIN}", password="")
    result = mailbox_poll(config=config, connect=lambda _config: box)
    if result is None:  # not reached: the config names a host
        return DemoMailbox(0, 0, 0, 0, ())
    created = InboundMail.objects.filter(run_id=result.run_id, outcome="created")
    refused = InboundAttachment.objects.filter(mail__run_id=result.run_id, status="refused")
    return DemoMailbox(
        read=result.seen,
        created=result.created,
        threaded=result.threaded,
        refused_attachments=refused.count(),
        tickets=tuple(created.values_list("complaint_number", flat=True)),
    )
