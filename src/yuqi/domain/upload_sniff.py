"""What an uploaded file really is, from its first bytes (its "magic number"), never from its
name or the browser's stated type: a customer's attachment may be an image or a PDF only.

A file renamed ``photo.jpg`` that starts with ``MZ`` (a Windows executable), ``\\x7fELF``
(Linux), ``#!`` (a script) or ``PK`` (a zip, an Office file, an APK) is none of the allowed
kinds and is refused. Signatures from the formats' specifications: JPEG (ITU T.81, SOI marker
``FF D8 FF``), PNG (RFC 2083 §3.1), GIF (GIF89a spec), WebP (RIFF container, "WEBP" form type),
PDF (ISO 32000-1 §7.5.2 header ``%PDF-``).
"""

from __future__ import annotations

#: Allowed content type → the file name extension it is stored with.
EXTENSIONS: dict[str, str] = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
}

#: How many leading bytes :func:`sniff` needs.
HEAD_BYTES = 16


def sniff(head: bytes) -> str | None:
    """The allowed content type whose signature ``head`` starts with; None for anything else
    (executables, archives, HTML, text, an empty file)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if len(head) >= 12 and head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None
