"""Survey link tokens: unguessable, stored hashed, single-use, expiring.

Choice (instead of ``django.core.signing`` payloads): every invitation gets a random
``token_salt`` (16 bytes); its link token is ``HMAC-SHA256(SECRET_KEY, salt)`` cut to 24
bytes, base64url (32 characters, short enough for an SMS). The database keeps the salt and
the SHA-256 of the token (``Invitation.token_hash``), which is what a link is looked up by.

* A copy of the database alone yields no working link: the secret key is also needed.
* The token can be recomputed from the salt, so a reminder or a call list carries the
  same link as the first message (a random token stored only hashed could not be resent).
* A tampered or made-up token matches nothing and is refused without revealing whether an
  invitation exists; the format is checked before any lookup.
* Single use and expiry are state on the invitation row (``answered_at``, ``expires_at``),
  checked and claimed with one conditional update when answers are submitted.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

from django.utils.crypto import salted_hmac

_KEY_SALT = "yuqi.surveys.invitation-token"
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_salt() -> str:
    return secrets.token_hex(16)


def token_for_salt(salt: str) -> str:
    digest = salted_hmac(_KEY_SALT, salt, algorithm="sha256").digest()[:24]
    return base64.urlsafe_b64encode(digest).decode("ascii")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def well_formed(token: str) -> bool:
    return bool(_TOKEN_RE.match(token or ""))
