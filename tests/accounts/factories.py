from __future__ import annotations

from functools import cache

import factory
from django.contrib.auth.hashers import make_password

from yuqi.accounts.models import User
from yuqi.accounts.services import user_set_roles

PASSWORD = "correct-horse-battery-7"


@cache
def password_hash() -> str:
    """``PASSWORD`` hashed once per test process by the configured hasher.

    Each PBKDF2 hash costs about 0.35 CPU-s; the suite creates thousands of users, so hashing
    per user was minutes of every CI run. The stored hash is the one ``set_password`` makes
    (same hasher, same iterations), so signing in with ``PASSWORD`` checks it for real; only
    the salt is shared between the test users.
    """
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    """A user; ``roles=["manager"]`` puts them in those role groups."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.LazyFunction(password_hash)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        self.save()
        if extracted:
            user_set_roles(user=self, roles=extracted)
