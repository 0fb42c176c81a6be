"""Alibaba Cloud SMS and Tencent Cloud SMS through their official SDKs
(``alibabacloud-dysmsapi20170525``, ``tencentcloud-sdk-python-sms``; ``pip install 'yuqi[sms]'``).

Chinese gateways send only templates the provider approved, under a registered signature:
never free text. A message's Yuqi template name (``complaint_received``…) is its *kind*; an
:class:`~yuqi.notifications.models.SmsTemplate` row (Settings) or ``YUQI_SMS_TEMPLATES`` maps
the kind to the provider's template code and names the message values that fill the
template's variables, in order. The signature is ``YUQI_SMS_SIGNATURE``.

Each backend answers a :class:`DeliveryResult` and never raises: ``retryable`` is set for a
timeout, a network error, a 5xx or the provider's throttling, so the message log tries again
with back-off (:mod:`yuqi.notifications.services`); any other refusal fails at once with the
provider's code and message. The provider's message id (Alibaba's ``BizId``, Tencent's
``SerialNo``) is kept for the delivery receipt (:mod:`yuqi.notifications.receipts`).

The endpoint is configurable (``YUQI_SMS_ALIYUN_ENDPOINT``/``_PROTOCOL``,
``YUQI_SMS_TENCENT_ENDPOINT``/``_SCHEME``): the tests point it at a local HTTP server.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from yuqi.notifications.channels import DeliveryResult, Outgoing, SmsBackend
from yuqi.notifications.choices import CODE_KIND, SmsProvider

#: Variables longer than this are cut (the providers limit each variable, 35 characters for
#: Alibaba's ordinary templates).
MAX_PARAM_CHARS = 35

# Provider codes that mean "try again later" (throttling, the provider's own fault).
_ALIYUN_RETRYABLE = {"isp.SYSTEM_ERROR", "Throttling", "Throttling.User", "ServiceUnavailable"}
_TENCENT_RETRYABLE_PREFIXES = (
    "ClientNetworkError",
    "ServerNetworkError",
    "InternalError",
    "RequestLimitExceeded",
)


@dataclass(frozen=True)
class Route:
    """The provider's template code for a kind, and the values that fill it, in order."""

    code: str
    params: tuple[str, ...]


def template_route(kind: str, provider: str) -> Route | None:
    """The active template for ``kind`` on ``provider``: a row in Settings, else
    ``YUQI_SMS_TEMPLATES`` (``{"kind": "CODE"}`` or ``{"kind": {"code": …, "params": […]}}``,
    or per provider ``{"aliyun": {...}, "tencent": {...}}``), else for the one-time code
    ``YUQI_SMS_CODE_TEMPLATE`` with ``YUQI_SMS_CODE_TEMPLATE_PARAMS``."""
    from yuqi.notifications.models import SmsTemplate

    row = SmsTemplate.objects.filter(kind=kind, provider=provider, active=True).first()
    if row is not None:
        return Route(row.template_code, tuple(row.param_names()))
    table: Any = getattr(settings, "SMS_TEMPLATES", {}) or {}
    if isinstance(table.get(provider), dict):
        table = table[provider]
    entry = table.get(kind)
    if isinstance(entry, str) and entry:
        return Route(entry, ())
    if isinstance(entry, dict) and entry.get("code"):
        return Route(str(entry["code"]), tuple(str(p) for p in entry.get("params") or ()))
    code_template = getattr(settings, "SMS_CODE_TEMPLATE", "")
    if kind == CODE_KIND and code_template:
        return Route(code_template, tuple(getattr(settings, "SMS_CODE_TEMPLATE_PARAMS", ("code",))))
    return None


def _values(message: Outgoing, route: Route) -> list[tuple[str, str]]:
    names = route.params or tuple(message.params)
    return [(name, str(message.params.get(name, ""))[:MAX_PARAM_CHARS]) for name in names]


def mainland_number(address: str) -> str:
    """A phone number without spaces or dashes, and without +86 for a mainland mobile."""
    digits = re.sub(r"[\s\-()]", "", address or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def e164(address: str) -> str:
    """``+8613800138000`` for a mainland mobile; other numbers kept as given (with +)."""
    number = mainland_number(address)
    if number.startswith("+"):
        return number
    if re.fullmatch(r"1\d{10}", number):
        return "+86" + number
    return "+" + number.lstrip("0")


class TemplateSmsBackend(SmsBackend):
    """What both gateways share: the template, the signature, and never raising."""

    provider = ""

    def send_sms(self, message: Outgoing) -> DeliveryResult:
        route = template_route(message.template, self.provider)
        if route is None:
            return self._result(
                False,
                _(
                    "No SMS template for %(kind)s on %(provider)s: add one under Settings → "
                    "SMS templates or in YUQI_SMS_TEMPLATES."
                )
                % {"kind": message.template or "—", "provider": self.provider},
            )
        signature = getattr(settings, "YUQI_SMS_SIGNATURE", "")
        if not signature:
            return self._result(
                False, _("%(provider)s needs YUQI_SMS_SIGNATURE.") % {"provider": self.provider}
            )
        try:
            return self.send_template(message, route, signature)
        except Exception as exc:  # an SDK that raised something unforeseen: transient
            return self._result(False, f"{type(exc).__name__}: {exc}"[:500], retryable=True)

    def send_template(self, message: Outgoing, route: Route, signature: str) -> DeliveryResult:
        raise NotImplementedError

    def _result(
        self, ok: bool, error: str = "", *, provider_id: str = "", retryable: bool = False
    ) -> DeliveryResult:
        return DeliveryResult(
            ok, error, provider_id=provider_id, retryable=retryable, provider=self.provider
        )


class AliyunSmsBackend(TemplateSmsBackend):
    """Alibaba Cloud SMS (dysmsapi 2017-05-25, ``SendSms``). ``OutId`` carries Yuqi's message
    id, so the receipt can name it too."""

    provider = SmsProvider.ALIYUN.value

    def _client(self) -> Any:
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.utils_models import Config

        conf = settings.SMS_ALIYUN
        timeout_ms = settings.SMS_TIMEOUT_SECONDS * 1000
        return Client(
            Config(
                access_key_id=conf["access_key_id"],
                access_key_secret=conf["access_key_secret"],
                endpoint=conf["endpoint"],
                protocol=conf["protocol"],
                read_timeout=timeout_ms,
                connect_timeout=timeout_ms,
            )
        )

    def send_template(self, message: Outgoing, route: Route, signature: str) -> DeliveryResult:
        from alibabacloud_dysmsapi20170525 import models
        from darabonba.runtime import RuntimeOptions

        timeout_ms = settings.SMS_TIMEOUT_SECONDS * 1000
        request = models.SendSmsRequest(
            phone_numbers=mainland_number(message.address),
            sign_name=signature,
            template_code=route.code,
            template_param=json.dumps(dict(_values(message, route)), ensure_ascii=False),
            out_id=str(message.message_id or ""),
        )
        # Yuqi retries with back-off itself: the SDK's own retry is off.
        runtime = RuntimeOptions(
            autoretry=False, read_timeout=timeout_ms, connect_timeout=timeout_ms
        )
        try:
            response = self._client().send_sms_with_options(request, runtime)
        except Exception as exc:
            return self._from_exception(exc)
        body = response.body
        code = str(getattr(body, "code", "") or "")
        if code == "OK":
            return self._result(True, provider_id=str(body.biz_id or ""))
        text = f"aliyun: {code or 'no code'} {getattr(body, 'message', '') or ''}".strip()
        return self._result(False, text[:500], retryable=code in _ALIYUN_RETRYABLE)

    def _from_exception(self, exc: Exception) -> DeliveryResult:
        status = getattr(exc, "status_code", None) or getattr(exc, "statusCode", None)
        code = str(getattr(exc, "code", "") or "")
        message = str(getattr(exc, "message", "") or exc)
        text = f"aliyun: {code + ' ' if code else ''}{message}"[:500]
        client_error = isinstance(status, int) and 400 <= status < 500
        retryable = not client_error or code in _ALIYUN_RETRYABLE
        return self._result(False, text, retryable=retryable)


class TencentSmsBackend(TemplateSmsBackend):
    """Tencent Cloud SMS (API 2021-01-11, ``SendSms``). ``SessionContext`` carries Yuqi's
    message id."""

    provider = SmsProvider.TENCENT.value

    def _client(self) -> Any:
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        conf = settings.SMS_TENCENT
        http = HttpProfile(endpoint=conf["endpoint"], reqTimeout=settings.SMS_TIMEOUT_SECONDS)
        http.scheme = conf["scheme"]
        return sms_client.SmsClient(
            credential.Credential(conf["secret_id"], conf["secret_key"]),
            conf["region"],
            ClientProfile(httpProfile=http),
        )

    def send_template(self, message: Outgoing, route: Route, signature: str) -> DeliveryResult:
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        request.PhoneNumberSet = [e164(message.address)]
        request.SmsSdkAppId = settings.SMS_TENCENT["sdk_app_id"]
        request.SignName = signature
        request.TemplateId = route.code
        request.TemplateParamSet = [value for _name, value in _values(message, route)]
        request.SessionContext = str(message.message_id or "")
        try:
            response = self._client().SendSms(request)
        except TencentCloudSDKException as exc:
            code = str(exc.get_code() or "")
            text = f"tencent: {code} {exc.get_message()}"[:500]
            return self._result(False, text, retryable=code.startswith(_TENCENT_RETRYABLE_PREFIXES))
        statuses = response.SendStatusSet or []
        if not statuses:
            return self._result(False, "tencent: no send status in the answer", retryable=True)
        status = statuses[0]
        if str(status.Code) == "Ok":
            return self._result(True, provider_id=str(status.SerialNo or ""))
        code = str(status.Code or "")
        text = f"tencent: {code} {status.Message or ''}"[:500]
        return self._result(False, text, retryable=code.startswith(_TENCENT_RETRYABLE_PREFIXES))
