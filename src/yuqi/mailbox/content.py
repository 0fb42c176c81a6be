"""What an e-mail holds, made safe to keep: the body as plain text (HTML sanitised to text),
attachments typed by their first bytes (never by their name or declared type), and the
ticket references in the subject and headers.

Pure functions over bytes and strings (the IMAP and database work is in ``services``).
"""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

#: A ticket number in a subject ("Re: 关于 TS-20261205-0007 的回复").
TICKET_NUMBER = re.compile(r"\bTS-\d{8}-\d{4,6}\b")
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
#: The Message-ID Yuqi gives its own e-mail about a ticket (notifications' EmailChannel).
_YUQI_TICKET_ID = re.compile(r"yuqi-complaint-(\d{1,12})@")
MAX_TEXT_CHARS = 20_000

#: Types an attachment may be kept as (detected from its content); everything else refused.
KEPT_TYPES = frozenset(
    {
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "text/plain",
        "application/zip",  # also .docx/.xlsx (Office Open XML is a zip)
        "application/x-ole-storage",  # .doc/.xls
    }
)
_EXECUTABLE = "application/x-executable"


def sniff(head: bytes) -> str:
    """The content type of a file from its first bytes; executables and scripts are named
    ``application/x-executable`` so they are refused whatever they are called."""
    signatures: tuple[tuple[bytes, str], ...] = (
        (b"%PDF-", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"),
        (b"GIF89a", "image/gif"),
        (b"PK\x03\x04", "application/zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
        (b"MZ", _EXECUTABLE),
        (b"\x7fELF", _EXECUTABLE),
        (b"\xca\xfe\xba\xbe", _EXECUTABLE),
        (b"\xcf\xfa\xed\xfe", _EXECUTABLE),
        (b"#!", _EXECUTABLE),
    )
    for magic, kind in signatures:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    lowered = head[:512].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml")):
        return "text/html"  # markup can run script in a browser: refused
    if head and _is_text(head):
        return "text/plain"
    return "application/octet-stream"


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still text
        if exc.start < len(head) - 4:
            try:
                head.decode("gb18030")
            except UnicodeDecodeError:
                return False
    return True


def safe_filename(name: str) -> str:
    """A file name for display only (files are stored under random names): no path, no
    control characters, at most 200 characters; "attachment" when nothing is left."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:200] or "attachment"


def html_to_text(markup: str) -> str:
    """The readable text of an HTML body: scripts, styles and every tag removed by nh3,
    entities decoded, blank runs folded. Nothing of the markup survives to be rendered."""
    markup = re.sub(r"(?i)<\s*br\s*/?\s*>|</\s*(p|div|li|tr|h[1-6])\s*>", "\n", markup)
    cleaned = nh3.clean(markup, tags=set(), attributes={}, strip_comments=True)
    return normalise_text(html.unescape(cleaned))


def normalise_text(text: str) -> str:
    """Whitespace folded, NUL and control characters removed, at most ``MAX_TEXT_CHARS``."""
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C").replace(
        "\t", " "
    )
    lines = [" ".join(line.split()) for line in text.splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if len(text) > MAX_TEXT_CHARS:
        text = text[: MAX_TEXT_CHARS - 1] + "…"
    return text


def ticket_numbers(subject: str) -> list[str]:
    return TICKET_NUMBER.findall(subject or "")


def message_ids(*headers: str) -> list[str]:
    """Message-IDs (``<…>``) named in In-Reply-To/References, most recent first, at most 20."""
    found: list[str] = []
    for value in headers:
        for mid in reversed(_MESSAGE_ID.findall(value or "")):
            if mid not in found:
                found.append(mid)
    return found[:20]


def yuqi_ticket_ids(message_ids: list[str]) -> list[int]:
    """Ticket ids named by Message-IDs of e-mails Yuqi sent (``…yuqi-complaint-42@…``)."""
    found: list[int] = []
    for mid in message_ids:
        match = _YUQI_TICKET_ID.search(mid)
        if match and int(match.group(1)) not in found:
            found.append(int(match.group(1)))
    return found
