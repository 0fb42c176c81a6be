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

from yuqi.accounts.services import user_create
from yuqi.demo.record import DemoLogin

DEMO_PEOPLE = (
    ("lina", "李娜", "agent"),
    ("wangqiang", "王强", "supervisor"),
    ("chenjing", "陈静", "analyst"),
    ("zhangwei", "张伟", "manager"),
    ("admin", "刘洋", "admin"),
)


class DemoPasswords:
    """One generated password per demo person, hashed on threads from the moment it is made."""

    def __init__(self) -> None:
        self.passwords = [secrets.token_urlsafe(9) for _ in DEMO_PEOPLE]
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
                email=f"{username}@demo.yuqi.cn",
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
