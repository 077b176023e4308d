"""Aliyun SMS (Dysmsapi 2017-05-25) through its official SDK (alibabacloud_dysmsapi20170525).

Settings: SMS_ALIYUN_ACCESS_KEY_ID, SMS_ALIYUN_ACCESS_KEY_SECRET, SMS_SIGN_NAME,
SMS_ALIYUN_ENDPOINT (dysmsapi.aliyuncs.com) and SMS_PROVIDER_PROTOCOL (https). Each template's
`aliyun_template_code` is the code Aliyun gave it (SMS_123456789); parameters go by name as JSON.
"""

import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.models import SMSMessage

from . import BaseSMSBackend, SMSError

Outcome = SMSMessage.Outcome

# Aliyun's error codes (https://help.aliyun.com/zh/sms/developer-reference/api-error-codes) as outcomes.
OUTCOMES = {
    "isv.MOBILE_NUMBER_ILLEGAL": Outcome.BAD_NUMBER,
    "isv.MOBILE_COUNT_OVER_LIMIT": Outcome.BAD_NUMBER,
    "isv.BLACK_KEY_CONTROL_LIMIT": Outcome.BAD_TEMPLATE,
    "isv.SMS_TEMPLATE_ILLEGAL": Outcome.BAD_TEMPLATE,
    "isv.TEMPLATE_MISSING_PARAMETERS": Outcome.BAD_TEMPLATE,
    "isv.TEMPLATE_PARAMS_ILLEGAL": Outcome.BAD_TEMPLATE,
    "isv.PARAM_LENGTH_LIMIT": Outcome.BAD_TEMPLATE,
    "isv.INVALID_JSON_PARAM": Outcome.BAD_TEMPLATE,
    "isv.SMS_SIGNATURE_ILLEGAL": Outcome.BAD_SIGNATURE,
    "isv.SMS_SIGN_ILLEGAL": Outcome.BAD_SIGNATURE,
    "isv.AMOUNT_NOT_ENOUGH": Outcome.QUOTA,
    "isv.OUT_OF_SERVICE": Outcome.QUOTA,
    "isv.DAY_LIMIT_CONTROL": Outcome.PROVIDER_LIMIT,
    "isv.BUSINESS_LIMIT_CONTROL": Outcome.PROVIDER_LIMIT,
    "InvalidAccessKeyId.NotFound": Outcome.AUTH,
    "SignatureDoesNotMatch": Outcome.AUTH,
    "isv.ACCOUNT_ABNORMAL": Outcome.AUTH,
    "isp.RAM_PERMISSION_DENY": Outcome.AUTH,
}
RETRY = {Outcome.ERROR, Outcome.PROVIDER_LIMIT}


def outcome_of(code: str) -> str:
    return OUTCOMES.get(code, Outcome.ERROR)


class AliyunSMSBackend(BaseSMSBackend):
    name = "aliyun"

    def __init__(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import models as openapi

        if not (settings.SMS_ALIYUN_ACCESS_KEY_ID and settings.SMS_ALIYUN_ACCESS_KEY_SECRET):
            raise ImproperlyConfigured("Aliyun SMS needs SMS_ALIYUN_ACCESS_KEY_ID and SMS_ALIYUN_ACCESS_KEY_SECRET.")
        timeout_ms = int(settings.SMS_PROVIDER_TIMEOUT * 1000)
        self.client = Client(
            openapi.Config(
                access_key_id=settings.SMS_ALIYUN_ACCESS_KEY_ID,
                access_key_secret=settings.SMS_ALIYUN_ACCESS_KEY_SECRET,
                endpoint=settings.SMS_ALIYUN_ENDPOINT,
                protocol=settings.SMS_PROVIDER_PROTOCOL,
                connect_timeout=timeout_ms,
                read_timeout=timeout_ms,
            )
        )

    def send(self, phone, template, params, text):
        from alibabacloud_dysmsapi20170525 import models

        if not template.aliyun_template_code:
            raise SMSError(f"template {template.key} has no Aliyun code", outcome=Outcome.BAD_TEMPLATE, retry=False)
        request = models.SendSmsRequest(
            # Aliyun takes mainland numbers without +86, others with their country code.
            phone_numbers=phone[3:] if phone.startswith("+86") else phone.lstrip("+"),
            sign_name=settings.SMS_SIGN_NAME,
            template_code=template.aliyun_template_code,
            template_param=json.dumps(params, ensure_ascii=False),
        )
        try:
            response = self.client.send_sms(request)
        except Exception as exc:  # the SDK raises its own exception types, each with a code
            code = getattr(exc, "code", "") or type(exc).__name__
            outcome = outcome_of(code)
            raise SMSError(
                getattr(exc, "message", "") or str(exc), outcome=outcome, code=code, retry=outcome in RETRY
            ) from exc
        body = response.body
        if body.code != "OK":
            outcome = outcome_of(body.code)
            raise SMSError(body.message or body.code, outcome=outcome, code=body.code, retry=outcome in RETRY)
        return body.biz_id
