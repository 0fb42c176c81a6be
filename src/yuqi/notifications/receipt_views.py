"""The gateways' delivery-receipt callbacks: ``POST /notifications/sms/receipt/<provider>/
<token>/``. Public (the gateway has no session) but closed without the secret token
(404 while ``YUQI_SMS_RECEIPT_TOKEN`` is unset or wrong), limited in body size, number of
items and calls per minute per address."""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from yuqi.core.access import public
from yuqi.notifications.receipts import (
    ACKNOWLEDGEMENTS,
    ReceiptError,
    parse_receipts,
    receipts_apply,
)

MAX_BODY_BYTES = 256 * 1024
CALLS_PER_MINUTE = 120


def _throttled(request: HttpRequest) -> bool:
    key = f"yuqi:sms-receipt:{request.META.get('REMOTE_ADDR', '?')}"
    cache.add(key, 0, timeout=60)
    try:
        calls = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        calls = 1
    return calls > CALLS_PER_MINUTE


@public
@csrf_exempt
@require_POST
def sms_receipt(request: HttpRequest, provider: str, token: str) -> HttpResponse:
    expected = settings.SMS_RECEIPT_TOKEN
    if (
        not expected
        or provider not in ACKNOWLEDGEMENTS
        or not hmac.compare_digest(token.encode(), expected.encode())
    ):
        raise Http404
    if _throttled(request):
        return JsonResponse({"error": "too many receipts, slow down"}, status=429)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY_BYTES:
        return JsonResponse({"error": "body too large"}, status=413)
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        return JsonResponse({"error": "body too large"}, status=413)
    try:
        receipts = parse_receipts(provider, json.loads(body.decode("utf-8")))
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError, ReceiptError
        message = str(exc) if isinstance(exc, ReceiptError) else "expected a JSON array"
        return JsonResponse({"error": message}, status=400)
    receipts_apply(provider=provider, receipts=receipts)
    return JsonResponse(ACKNOWLEDGEMENTS[provider])
