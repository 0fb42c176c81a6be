"""Django's model backend, with the user's permissions and group names kept between requests
(:mod:`yuqi.accounts.access_kept`).

The user is loaded as ``ModelBackend`` loads it, in the same one query together with the
token of what decides access; the permission caches ``ModelBackend`` looks for on the user are
then set from what this process keeps under that token. Every permission check is
``ModelBackend``'s own.

The load runs on every signed-in request, and the ORM built and compiled the same statement
each time (about four fifths of the load's CPU): it is compiled once per database and user
model (:class:`yuqi.core.compiled_reads.CompiledRead`), and each request sends it with the
user's id, the user made by Django's own ``ModelIterable``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from yuqi.accounts import access_kept
from yuqi.core.compiled_reads import CompiledRead


def _queryset(model: Any) -> Any:
    return model._default_manager.annotate(**{access_kept.TOKEN: access_kept.token_subquery()})


#: user model → its load, compiled once per database.
_READS: dict[type, CompiledRead] = {}


def load_user(model: Any, user_id: Any) -> Any:
    """The user with primary key ``user_id`` annotated with the access token (the
    :data:`~yuqi.accounts.access_kept.TOKEN` attribute), or ``None``: what
    ``_queryset(model).get(pk=user_id)`` answers, from the statement compiled once."""
    read = _READS.get(model)
    if read is None:
        read = _READS[model] = CompiledRead(
            lambda *, pk: _queryset(model).filter(pk=pk).order_by(),
            model=model,
            pk=model._meta.pk,
        )
    found = read.objects(pk=user_id)
    return found[0] if found else None


class KeptPermissionsBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        user = load_user(get_user_model(), user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        access_kept.prime(user, getattr(user, access_kept.TOKEN), self)
        return user
