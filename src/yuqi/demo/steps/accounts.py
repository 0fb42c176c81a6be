"""Demo step: one user per role, with generated passwords printed by ``yuqi demo``.

New users go through ``accounts.services.user_create``. Accounts has no service that changes a
password, so a rerun on a database that already has the demo users sets the new password with
Django's own ``set_password`` on the user model.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model

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
    users = get_user_model().objects
    logins = []
    for username, display_name, role in DEMO_PEOPLE:
        password = secrets.token_urlsafe(9)
        user = users.filter(username=username).first()
        if user is not None:
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
