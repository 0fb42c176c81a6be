"""``yuqi createuser``: a user with roles, from the command line (the password from a prompt
or standard input). Registered by ``yuqi.cli`` (``COMMAND_MODULES``)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

__all__ = ["cmd_createuser", "register"]


def register(add: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add ``yuqi createuser`` (``add(name, help)`` gives a parser that takes --data-dir and
    carries ``setup`` in its defaults)."""
    createuser = add("createuser", "create a user with one or more roles")
    createuser.add_argument("username")
    createuser.add_argument(
        "--role",
        action="append",
        default=[],
        help="agent, supervisor, analyst, manager or admin (repeatable)",
    )
    createuser.add_argument("--email", default="")
    createuser.add_argument("--name", default="", help="display name")
    createuser.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    createuser.set_defaults(func=cmd_createuser)


def cmd_createuser(args: argparse.Namespace) -> int:
    args.setup(args.data_dir)
    from django.core.exceptions import ValidationError

    from yuqi.accounts.services import user_create
    from yuqi.core.errors import DomainError

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    if password is None:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password (again): ") != password:
            print("error: the passwords differ", file=sys.stderr)
            return 2
    try:
        user = user_create(
            username=args.username,
            password=password,
            roles=args.role,
            email=args.email,
            display_name=args.name,
        )
    except ValidationError as exc:
        print("error: password: " + " ".join(exc.messages), file=sys.stderr)
        return 2
    except DomainError as exc:
        print(f"error: {exc.field or 'user'}: {exc.message}", file=sys.stderr)
        return 2
    print(f"created user {user.username} with roles: {', '.join(args.role) or '(none)'}")
    return 0
