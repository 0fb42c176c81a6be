"""Django's model backend, with the user's permissions and group names kept between requests
(:mod:`yuqi.accounts.access_kept`).

The user is loaded as ``ModelBackend`` loads it, in the same one query together with the
token of what decides access; the permission caches ``ModelBackend`` looks for on the user are
then set from what this process keeps under that token. Every permission check is
``ModelBackend``'s own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from yuqi.accounts import access_kept


class KeptPermissionsBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.annotate(
                **{access_kept.TOKEN: access_kept.token_subquery()}
            ).get(pk=user_id)
        except model.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        access_kept.prime(user, getattr(user, access_kept.TOKEN), self)
        return user
