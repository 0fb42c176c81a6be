"""Yuqi's own e-mail backends for development: nothing personal on the console, private files.

``YUQI_EMAIL_BACKEND=console`` (the default) used to be Django's console backend, which prints
whole messages, so staff notices ("Broken promise: 李超俊 …", with the promise text) and the
customers' own mail ended up in the server's log (security review F-13). The console backend
here prints one line per message: the masked recipients, the reference (``commitment:9``) and
the sizes of subject and body, never their text. To read what would have been sent, use
``YUQI_EMAIL_BACKEND=file``: messages are written under ``$YUQI_DATA_DIR/outbox/mail``, each file
0600 in a 0700 folder.
"""

from __future__ import annotations

from typing import Any

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend
from django.core.mail.backends.filebased import EmailBackend as DjangoFileBackend

from yuqi.core.private_files import open_private, private_dir
from yuqi.domain.pii import mask_email


def masked_addresses(addresses: list[str]) -> str:
    return ", ".join(mask_email(address) for address in addresses) or "-"


def summary_line(message: Any) -> str:
    """``E-mail to z***@example.cn [commitment:9]: subject 27 characters, body 180 (withheld)``."""
    ref = (getattr(message, "extra_headers", None) or {}).get("X-Yuqi-Ref", "")
    recipients = masked_addresses(list(message.recipients()))
    return (
        f"E-mail to {recipients}{f' [{ref}]' if ref else ''}: subject {len(message.subject)} "
        f"characters, body {len(message.body)} (withheld; YUQI_EMAIL_BACKEND=file keeps them "
        "in the data folder)"
    )


class ConsoleEmailBackend(DjangoConsoleBackend):
    """Prints a masked one-line summary of each message instead of the message."""

    def write_message(self, message: Any) -> None:
        self.stream.write(summary_line(message) + "\n")


class FileEmailBackend(DjangoFileBackend):
    """Django's file backend with a private folder (0700) and private files (0600)."""

    def __init__(self, *args: Any, file_path: str | None = None, **kwargs: Any) -> None:
        if file_path is not None:
            private_dir(file_path)
        super().__init__(*args, file_path=file_path, **kwargs)

    def open(self) -> bool:
        if self.stream is None:
            self.stream = open_private(self._get_filename(), "ab")
            return True
        return False
