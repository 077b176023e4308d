"""Delivery receipts: the providers tell us whether each message reached the phone.

Both providers push receipts as a JSON array to a URL configured in their console:
`/sms/receipts/tencent/<SMS_RECEIPT_TOKEN>/` and `/sms/receipts/aliyun/<SMS_RECEIPT_TOKEN>/`.
Neither signs its pushes, so the URL carries a secret token (compared in constant time); a
receipt only ever moves a message we sent from "sent" to "delivered" or "not delivered".
"""

import json
import secrets
from datetime import datetime

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.models import SMSMessage


def _tencent(item):
    # {"sid": ..., "report_status": "SUCCESS"|"FAIL", "errmsg": "DELIVRD", "user_receive_time": "..."}
    return (
        item.get("sid"),
        item.get("report_status") == "SUCCESS",
        item.get("errmsg", ""),
        item.get("user_receive_time"),
    )


def _aliyun(item):
    # {"biz_id": ..., "success": true, "err_code": "DELIVERED", "report_time": "2026-11-30 08:03:04"}
    return item.get("biz_id"), item.get("success") is True, item.get("err_code", ""), item.get("report_time")


PROVIDERS = {
    "tencent": (_tencent, {"result": 0, "errmsg": "OK"}),
    "aliyun": (_aliyun, {"code": 0, "msg": "成功"}),
}


def _when(text):
    try:
        return timezone.make_aware(datetime.strptime(text, "%Y-%m-%d %H:%M:%S"))
    except (TypeError, ValueError):
        return timezone.now()


def apply_receipts(provider: str, items: list) -> int:
    """Record the receipts; returns how many messages they updated."""
    parse, _answer = PROVIDERS[provider]
    updated = 0
    for item in items:
        if not isinstance(item, dict):
            continue
        provider_id, delivered, code, at = parse(item)
        if not provider_id:
            continue
        updated += SMSMessage.objects.filter(
            backend=provider, provider_id=str(provider_id), status=SMSMessage.Status.SENT
        ).update(
            status=SMSMessage.Status.DELIVERED if delivered else SMSMessage.Status.UNDELIVERED,
            receipt_code=str(code)[:60],
            receipt_at=_when(at),
        )
    return updated


@csrf_exempt  # called by the provider's servers, which hold no session: the URL's secret authenticates
@require_POST
def receipt(request, provider, token):
    expected = settings.SMS_RECEIPT_TOKEN
    if provider not in PROVIDERS or not expected or not secrets.compare_digest(token, expected):
        raise Http404
    try:
        items = json.loads(request.body or b"[]")
    except ValueError:
        return HttpResponseBadRequest("not JSON")
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list):
        return HttpResponseBadRequest("expected a JSON array")
    apply_receipts(provider, items[:1000])
    return JsonResponse(PROVIDERS[provider][1], json_dumps_params={"ensure_ascii": False})
