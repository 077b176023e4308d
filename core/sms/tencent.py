"""Tencent Cloud SMS through its official SDK (tencentcloud-sdk-python-sms, API 2021-01-11).

Settings: SMS_TENCENT_SECRET_ID, SMS_TENCENT_SECRET_KEY, SMS_TENCENT_SDK_APP_ID, SMS_SIGN_NAME,
SMS_TENCENT_REGION (ap-guangzhou), SMS_TENCENT_ENDPOINT (sms.tencentcloudapi.com) and
SMS_PROVIDER_PROTOCOL (https; the tests point the endpoint at a loopback server over http).
Each template's `tencent_template_id` is the ID Tencent gave it; parameters go in the order they
appear in the registered text.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.models import SMSMessage

from . import BaseSMSBackend, SMSError, placeholders

Outcome = SMSMessage.Outcome

# Tencent's error codes (https://cloud.tencent.com/document/product/382/55981) as outcomes.
OUTCOMES = {
    "InvalidParameterValue.IncorrectPhoneNumber": Outcome.BAD_NUMBER,
    "FailedOperation.PhoneNumberInBlacklist": Outcome.BAD_NUMBER,
    "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber": Outcome.BAD_NUMBER,
    "FailedOperation.TemplateIncorrectOrUnapproved": Outcome.BAD_TEMPLATE,
    "FailedOperation.MissingTemplateToModify": Outcome.BAD_TEMPLATE,
    "InvalidParameterValue.TemplateParameterFormatError": Outcome.BAD_TEMPLATE,
    "InvalidParameterValue.TemplateParameterLengthLimit": Outcome.BAD_TEMPLATE,
    "InvalidParameterValue.ProhibitedUseUrlInTemplateParameter": Outcome.BAD_TEMPLATE,
    "FailedOperation.SignatureIncorrectOrUnapproved": Outcome.BAD_SIGNATURE,
    "FailedOperation.InsufficientBalanceInSmsPackage": Outcome.QUOTA,
    "FailedOperation.ContainSensitiveWord": Outcome.BAD_TEMPLATE,
    "LimitExceeded.PhoneNumberDailyLimit": Outcome.PROVIDER_LIMIT,
    "LimitExceeded.PhoneNumberOneHourLimit": Outcome.PROVIDER_LIMIT,
    "LimitExceeded.PhoneNumberThirtySecondLimit": Outcome.PROVIDER_LIMIT,
    "LimitExceeded.PhoneNumberSameContentDailyLimit": Outcome.PROVIDER_LIMIT,
    "LimitExceeded.DailyLimit": Outcome.QUOTA,
    "LimitExceeded.DeliveryFrequencyLimit": Outcome.PROVIDER_LIMIT,
}
# Worth sending again later: a provider hiccup, a per-number window that will pass.
RETRY = {Outcome.ERROR, Outcome.PROVIDER_LIMIT}


def outcome_of(code: str) -> str:
    if code.startswith("AuthFailure"):
        return Outcome.AUTH
    return OUTCOMES.get(code, Outcome.ERROR)


class TencentSMSBackend(BaseSMSBackend):
    name = "tencent"

    def __init__(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        if not (settings.SMS_TENCENT_SECRET_ID and settings.SMS_TENCENT_SECRET_KEY and settings.SMS_TENCENT_SDK_APP_ID):
            raise ImproperlyConfigured(
                "Tencent SMS needs SMS_TENCENT_SECRET_ID, SMS_TENCENT_SECRET_KEY and SMS_TENCENT_SDK_APP_ID."
            )
        http = HttpProfile(
            protocol=settings.SMS_PROVIDER_PROTOCOL,
            endpoint=settings.SMS_TENCENT_ENDPOINT,
            reqTimeout=settings.SMS_PROVIDER_TIMEOUT,
        )
        profile = ClientProfile(signMethod="TC3-HMAC-SHA256", httpProfile=http)
        self.client = sms_client.SmsClient(
            credential.Credential(settings.SMS_TENCENT_SECRET_ID, settings.SMS_TENCENT_SECRET_KEY),
            settings.SMS_TENCENT_REGION,
            profile,
        )

    def send(self, phone, template, params, text):
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models

        if not template.tencent_template_id:
            raise SMSError(
                f"template {template.key} has no Tencent template ID", outcome=Outcome.BAD_TEMPLATE, retry=False
            )
        request = models.SendSmsRequest()
        request.SmsSdkAppId = settings.SMS_TENCENT_SDK_APP_ID
        request.SignName = settings.SMS_SIGN_NAME
        request.TemplateId = template.tencent_template_id
        request.TemplateParamSet = [params[name] for name in placeholders(template.text)]
        request.PhoneNumberSet = [phone]
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as exc:
            code = exc.get_code() or "ClientError"
            outcome = outcome_of(code)
            raise SMSError(exc.get_message() or code, outcome=outcome, code=code, retry=outcome in RETRY) from exc
        [status] = response.SendStatusSet
        if status.Code != "Ok":
            outcome = outcome_of(status.Code)
            raise SMSError(status.Message or status.Code, outcome=outcome, code=status.Code, retry=outcome in RETRY)
        return status.SerialNo
