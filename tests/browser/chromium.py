"""Where Chromium is and how it is started (Debian's package, headless), without Django: the
screenshot script imports it before any settings exist."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("YUQI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
