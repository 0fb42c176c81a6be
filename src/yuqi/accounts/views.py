from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yuqi.accounts import selectors, services
from yuqi.accounts.forms import ApiKeyForm
from yuqi.accounts.models import ApiKey
from yuqi.accounts.roles import ROLES
from yuqi.core.access import public, requires, signed_in
from yuqi.core.errors import DomainError

login = public(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", redirect_authenticated_user=True
    )
)
logout = public(auth_views.LogoutView.as_view())
password_change = signed_in(
    auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html", success_url="/"
    )
)


def locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this when a username/address pair is locked after repeated failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request)
    message = _(
        "Too many failed sign-in attempts. This account is locked for %(minutes)d minutes "
        "from this address; try again later or ask an administrator to unlock it."
    ) % {"minutes": minutes}
    return render(
        request, "accounts/login.html", {"form": form, "lockout_message": message}, status=429
    )


@requires("accounts.view_user")
def users(request: HttpRequest) -> HttpResponse:
    role_labels = {role.name: role.label for role in ROLES}
    rows = [
        {"user": user, "roles": [role_labels.get(g.name, g.name) for g in user.groups.all()]}
        for user in selectors.user_list()
    ]
    return render(request, "accounts/users.html", {"rows": rows})


@requires("accounts.view_apikey")
def api_keys(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(initial={"user": request.user})
    new_key = None
    if request.method == "POST":
        if not request.user.has_perm("accounts.add_apikey"):
            return render(request, "403.html", status=403)
        form = ApiKeyForm(request.POST)
        if form.is_valid():
            try:
                _key, new_key = services.apikey_create(
                    user=form.cleaned_data["user"],
                    name=form.cleaned_data["name"],
                    created_by=request.user,
                    expires_at=form.cleaned_data["expires_at"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                form = ApiKeyForm(initial={"user": request.user})
    context = {"form": form, "keys": selectors.apikey_list(), "new_key": new_key}
    return render(request, "accounts/api_keys.html", context)


@require_POST
@requires("accounts.change_apikey")
def api_key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=key_id)
    try:
        services.apikey_revoke(key=key, by=request.user)
    except DomainError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(request, _("Key %(name)s revoked.") % {"name": key.name})
    if request.htmx:
        return render(request, "accounts/partials/api_key_row.html", {"key": key})
    return redirect("accounts:api_keys")
