"""Every write to users, roles and API keys goes through here."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from yuqi.accounts.models import ApiKey, User
from yuqi.accounts.roles import ROLE_NAMES, ROLE_PERMISSIONS
from yuqi.core.clock import now
from yuqi.core.errors import DomainError

API_KEY_SCHEME = "yq"


def _permission(label: str, using: str) -> Permission:
    app_label, codename = label.split(".", 1)
    try:
        return Permission.objects.using(using).get(
            content_type__app_label=app_label, codename=codename
        )
    except Permission.DoesNotExist as exc:
        raise LookupError(f"role table names an unknown permission: {label}") from exc


def sync_roles(*, using: str = "default") -> None:
    """Make the role groups hold exactly the permissions ``ROLE_PERMISSIONS`` gives them."""
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    with transaction.atomic(using=using):
        for role, labels in ROLE_PERMISSIONS.items():
            group, _created = Group.objects.using(using).get_or_create(name=role)
            wanted = [_permission(label, using) for label in sorted(labels)]
            group.permissions.set(wanted)


def _check_roles(roles: Iterable[str]) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [role for role in roles if role not in ROLE_NAMES]
    if unknown:
        raise DomainError(
            _("Unknown role: %(roles)s. Known roles: %(known)s.")
            % {"roles": ", ".join(unknown), "known": ", ".join(ROLE_NAMES)},
            field="roles",
        )
    return roles


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    roles: Iterable[str] = (),
    email: str = "",
    display_name: str = "",
    password_hash: str | None = None,
) -> User:
    """Create a user with validated password and the given roles (an admin also gets staff).

    ``password_hash``: ``make_password(password)`` made earlier (the demo hashes its users'
    passwords on threads while it builds), stored as is instead of hashing again."""
    roles = _check_roles(roles)
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("A user named %(name)s already exists.") % {"name": username}, field="username"
        )
    user = User(username=username, email=email, display_name=display_name)
    validate_password(password, user)
    if password_hash is None:
        user.set_password(password)
    else:
        user.password = password_hash
    user.is_staff = "admin" in roles
    user.is_superuser = "admin" in roles
    user.save()
    user_set_roles(user=user, roles=roles)
    return user


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[str]) -> User:
    roles = _check_roles(roles)
    groups = list(Group.objects.filter(name__in=roles))
    missing = set(roles) - {group.name for group in groups}
    if missing:
        sync_roles()
        groups = list(Group.objects.filter(name__in=roles))
    user.groups.set(groups)
    return user


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def apikey_create(
    *, user: User, name: str, created_by: User, expires_at: datetime | None = None
) -> tuple[ApiKey, str]:
    """Create a key and return it with its plaintext, which is never stored nor shown again."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the key a name."), field="name")
    if expires_at is not None and expires_at <= now():
        raise DomainError(_("The expiry date must be in the future."), field="expires_at")
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=_hash_secret(secret),
        user=user,
        created_by=created_by,
        expires_at=expires_at,
    )
    return key, f"{API_KEY_SCHEME}_{prefix}_{secret}"


@transaction.atomic
def apikey_revoke(*, key: ApiKey, by: User) -> ApiKey:
    locked = ApiKey.objects.select_for_update().get(pk=key.pk)
    if locked.revoked_at is not None:
        raise DomainError(_("This key was already revoked."), code="conflict")
    locked.revoked_at = now()
    locked.revoked_by = by
    locked.save(update_fields=["revoked_at", "revoked_by"])
    return locked


def apikey_authenticate(raw: str, *, request: HttpRequest | None = None) -> User | None:
    """The active user a presented key acts as, or None for any unknown, revoked or expired key,
    a deactivated user, or (given the request) a user whom sign-in throttling has locked out.

    The lock is django-axes' own, with its lockout parameters (by default the user name *and*
    the client address): while a user may not sign in from an address, their keys are refused
    from it too. Keys used from elsewhere keep working, as sign-in from elsewhere does, so a
    stranger's failed guesses cannot switch off an integration's key.
    """
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_SCHEME:
        return None
    _scheme, prefix, secret = parts
    key = ApiKey.objects.select_related("user").filter(prefix=prefix).first()
    if key is None or not hmac.compare_digest(key.key_hash, _hash_secret(secret)):
        return None
    moment = now()
    if key.revoked_at is not None or (key.expires_at is not None and key.expires_at <= moment):
        return None
    if not key.user.is_active or (request is not None and _locked_out(request, key.user)):
        return None
    # A bare update: marking use is bookkeeping, not a business change worth an audit entry.
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=moment)
    return key.user


def _locked_out(request: HttpRequest, user: User) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, {"username": user.get_username()})
