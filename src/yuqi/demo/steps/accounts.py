"""Demo step: one user per role, with generated passwords printed by ``yuqi demo``.

New users go through ``accounts.services.user_create``. Accounts has no service that changes a
password, so the hashes are stored on the user model itself.

The five passwords are hashed in advance, on threads (:class:`DemoPasswords`, started by
``yuqi demo`` before the database is built): each PBKDF2 hash is about 0.35 CPU-s, and
``hashlib.pbkdf2_hmac`` releases the GIL, so they run on the other core while this one builds the
schema and the simulated centre. They are the hashes ``set_password`` makes (Django's configured
hasher, its iterations, a fresh salt). The users are created first with an unusable password
(the later steps need them) and the hashes stored at the end of the build, so the build never
waits for them.
"""

from __future__ import annotations

import secrets
from concurrent.futures import Future, ThreadPoolExecutor

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from yuqi.accounts.services import user_create
from yuqi.demo.record import DemoLogin

DEMO_PEOPLE = (
    ("lina", "李娜", "agent"),
    ("wangqiang", "王强", "supervisor"),
    ("chenjing", "陈静", "analyst"),
    ("zhangwei", "张伟", "manager"),
    ("admin", "刘洋", "admin"),
)


def demo_email(username: str) -> str:
    return f"{username}@demo.yuqi.cn"


def password_for(username: str, display_name: str) -> str:
    """A generated password that the configured validators accept for this person. A random
    draw can, rarely, look too like the user name to the similarity check (``E5In7MaGtmHz``
    holds every letter of ``zhangwei``), and ``user_create`` would then refuse it and stop
    the build; such a draw is drawn again."""
    person = get_user_model()(
        username=username, display_name=display_name, email=demo_email(username)
    )
    while True:
        password = secrets.token_urlsafe(9)
        try:
            validate_password(password, person)
        except ValidationError:
            continue
        return password


class DemoPasswords:
    """One generated password per demo person, hashed on threads from the moment it is made."""

    def __init__(self) -> None:
        self.passwords = [password_for(username, name) for username, name, _ in DEMO_PEOPLE]
        self._pool = ThreadPoolExecutor(max_workers=len(self.passwords))
        self._hashes: list[Future[str]] = [
            self._pool.submit(make_password, password) for password in self.passwords
        ]

    def hashes(self) -> dict[str, str]:
        """Each password's hash (waiting for the threads still hashing)."""
        hashed = {p: f.result() for p, f in zip(self.passwords, self._hashes, strict=True)}
        self._pool.shutdown()
        return hashed


def create_demo_users(passwords: DemoPasswords | None = None) -> list[DemoLogin]:
    """The demo's users, one per role, created at the start of the build (the later steps
    assign them tickets and evaluations) with an unusable password: the hashes are still being
    made on the other core. :func:`store_demo_passwords`, at the end of the build, stores them."""
    passwords = passwords or DemoPasswords()
    users = get_user_model().objects
    logins = []
    for (username, display_name, role), password in zip(
        DEMO_PEOPLE, passwords.passwords, strict=True
    ):
        if not users.filter(username=username).exists():
            user_create(
                username=username,
                password=password,
                password_hash=make_password(None),  # unusable until the hash is stored
                roles=[role],
                display_name=display_name,
                email=demo_email(username),
            )
        logins.append(DemoLogin(username, password, display_name, role))
    return logins


def store_demo_passwords(passwords: DemoPasswords) -> None:
    """Store each demo user's password hash (waiting for any thread still hashing); a rerun on
    a database that has the users gives them the new passwords."""
    users = get_user_model().objects
    hashes = passwords.hashes()
    for (username, _name, _role), password in zip(DEMO_PEOPLE, passwords.passwords, strict=True):
        user = users.get(username=username)
        user.password = hashes[password]
        user.save(update_fields=["password"])
