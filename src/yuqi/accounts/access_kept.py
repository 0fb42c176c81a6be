"""Each user's permission set and group names, kept in the server process between requests.

Every signed-in page asked the database three times for the same answer: the user's own
permissions, the permissions of the user's groups and the group names (the home page's
roles card). They change only when an administrator changes a role or a user's roles, so a
process keeps them per user under the token of :class:`~yuqi.accounts.models.AccessVersion`
(one row), which the user's own load reads in the same query
(:class:`yuqi.accounts.backends.KeptPermissionsBackend`). Every change that decides access
draws a new token in its own transaction (:func:`connect`): a user's groups or own
permissions, a group's permissions (``m2m_changed``, from either side), a group,
permission or content type saved or deleted (a deletion takes its membership rows with it,
which sends no ``m2m_changed``), a user deleted, and every ``migrate`` (which adds
permissions with ``bulk_create``). The next request after the change, in any process, reads
the new token and so the new permissions: a revocation takes effect on the user's next
request, as before. A rolled-back change leaves the old token, whose kept
sets are the old, still true, ones; a new token is random, so an old one never comes back.

What is not followed (as for every other signal-driven cache here): ``QuerySet.update()``
and ``bulk_create`` on groups and permissions, rows of the membership tables written
through their models (Django sends no signal for those auto-created tables), and raw SQL;
Yuqi writes them through the relation managers (``yuqi.accounts.services``, the admin).

The user's own flags (``is_active``, ``is_superuser``) are read with the user on every
request and are part of the key, so deactivating a user or taking superuser away needs no
new token.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Subquery

#: (token, {(user id, is superuser): (own permissions, group permissions, group names)})
_KEPT: tuple[Any, dict[tuple[int, bool], tuple[frozenset, frozenset, frozenset]]] = (None, {})
_KEPT_MAX = 4096

#: The attribute the primed group names are stored under on the user object.
GROUP_NAMES = "kept_group_names"
#: The annotation carrying the token on the user's load.
TOKEN = "kept_access_token"


def token_subquery() -> Subquery:
    """The current token, as a subquery to annotate the user's load with (one query)."""
    from yuqi.accounts.models import AccessVersion

    return Subquery(AccessVersion.objects.filter(pk=1).values("token")[:1])


def bump_token(using: str = "default") -> None:
    """A new token, in the writer's transaction: processes forget what they kept."""
    from yuqi.accounts.models import AccessVersion

    if not AccessVersion.objects.using(using).filter(pk=1).update(token=uuid.uuid4()):
        AccessVersion.objects.using(using).create(pk=1)


def forget() -> None:
    """Drop everything kept in this process (tests)."""
    global _KEPT
    _KEPT = (None, {})


def prime(user: Any, token: Any, backend: Any) -> None:
    """Set the permission caches ``ModelBackend`` looks for on ``user`` (``_user_perm_cache``,
    ``_group_perm_cache``, ``_perm_cache``) and the group names, from what this process keeps
    under ``token``, reading them (``backend``'s own queries) when it keeps nothing."""
    global _KEPT
    if token is None or not user.is_active:
        return  # no token row yet, or an inactive user (ModelBackend answers no perms)
    if _KEPT[0] != token:
        _KEPT = (token, {})
    known = _KEPT[1]
    key = (user.pk, bool(user.is_superuser))
    entry = known.get(key)
    if entry is None:
        own = frozenset(backend.get_user_permissions(user))
        groups = frozenset(backend.get_group_permissions(user))
        names = frozenset(user.groups.values_list("name", flat=True))
        entry = (own, groups, names)
        if len(known) >= _KEPT_MAX:
            known.clear()
        known[key] = entry
    own, groups, names = entry
    user._user_perm_cache = set(own)
    user._group_perm_cache = set(groups)
    user._perm_cache = {*own, *groups}
    setattr(user, GROUP_NAMES, names)


def group_names(user: Any) -> frozenset[str]:
    """The names of ``user``'s groups: the primed ones if the load primed them, else read."""
    kept = getattr(user, GROUP_NAMES, None)
    if kept is not None:
        return kept
    return frozenset(user.groups.values_list("name", flat=True))


def _changed(sender: Any, **kwargs: Any) -> None:
    bump_token(kwargs.get("using") or "default")


def _members_changed(sender: Any, action: str, **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        bump_token(kwargs.get("using") or "default")


def _after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    from yuqi.accounts.models import AccessVersion

    if AccessVersion._meta.db_table in connections[using].introspection.table_names():
        bump_token(using)


def connect() -> None:
    """Called from the app's ready()."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    user_model = get_user_model()
    through = (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    )
    for members in through:
        uid = f"access-kept-{members._meta.label_lower}"
        m2m_changed.connect(_members_changed, sender=members, dispatch_uid=uid + "-m2m")
    # Django sends no post_save/post_delete for the auto-created membership tables.
    for model in (Group, Permission, ContentType):
        uid = f"access-kept-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + "-delete")
    post_delete.connect(_changed, sender=user_model, dispatch_uid="access-kept-user-delete")
    post_migrate.connect(_after_migrate, dispatch_uid="access-kept-migrate")
