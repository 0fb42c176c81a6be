"""Demo step: one user per role, with generated passwords printed by ``yuqi demo``."""

from __future__ import annotations

import secrets

from yuqi.accounts.models import User
from yuqi.accounts.services import user_create
from yuqi.demo.record import DemoLogin

DEMO_PEOPLE = (
    ("lina", "李娜", "agent"),
    ("wangqiang", "王强", "supervisor"),
    ("chenjing", "陈静", "analyst"),
    ("zhangwei", "张伟", "manager"),
    ("admin", "刘洋", "admin"),
)


def create_demo_users() -> list[DemoLogin]:
    logins = []
    for username, display_name, role in DEMO_PEOPLE:
        password = secrets.token_urlsafe(9)
        if User.objects.filter(username=username).exists():
            user = User.objects.get(username=username)
            user.set_password(password)
            user.save(update_fields=["password"])
        else:
            user_create(
                username=username,
                password=password,
                roles=[role],
                display_name=display_name,
                email=f"{username}@demo.yuqi.cn",
            )
        logins.append(DemoLogin(username, password, display_name, role))
    return logins
