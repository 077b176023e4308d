"""SMS through Tencent Cloud and Aliyun, each tested against a loopback server that speaks the
provider's protocol (issue 17).

The stand-ins check each request's signature the way the providers document it (Tencent's
TC3-HMAC-SHA256, Aliyun's ACS3-HMAC-SHA256), computed here independently of the SDKs, and answer
with the providers' own success and error bodies. Our code is not patched: the official SDKs
make real HTTP requests to 127.0.0.1.
"""

import hashlib
import hmac
import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from django.urls import reverse
from django.utils import timezone

from core import notifications, sms
from core.models import Notification, SMSMessage, SMSTemplate, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET_ID, SECRET_KEY = "AKIDloopbacktest", "loopback-secret-key"
PHONE = "+8613800138000"


class StandIn:
    """A provider's endpoint on loopback: records requests, answers what the test queues."""

    def __init__(self, verify):
        self.requests, self.answers, self.verify = [], [], verify
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                request = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                ok = stand_in.verify(request)
                stand_in.requests.append(request | {"signature_ok": ok})
                status, answer = stand_in.answers.pop(0) if ok and stand_in.answers else stand_in.signature_error
                payload = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")  # exactly what both providers send
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _hmac(key, text, digest=hashlib.sha256):
    return hmac.new(key, text.encode(), digest).digest()


# --- Tencent Cloud: TC3-HMAC-SHA256 (https://cloud.tencent.com/document/api/382/52071) ---


def tencent_signature_ok(request):
    headers = request["headers"]
    algorithm, _, rest = headers.get("authorization", "").partition(" ")
    parts = dict(part.strip().split("=", 1) for part in rest.split(","))
    secret_id, date, service, _scope = parts["Credential"].split("/")
    signed = parts["SignedHeaders"].split(";")
    canonical_headers = "".join(
        f"{name}:{headers[name].strip().lower() if name == 'content-type' else headers[name].strip()}\n"
        for name in signed
    )
    canonical = "\n".join(
        ["POST", "/", "", canonical_headers, parts["SignedHeaders"], hashlib.sha256(request["body"]).hexdigest()]
    )
    timestamp = headers["x-tc-timestamp"]
    assert datetime.fromtimestamp(int(timestamp), UTC).strftime("%Y-%m-%d") == date
    to_sign = "\n".join(
        [algorithm, timestamp, f"{date}/{service}/tc3_request", hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = _hmac(_hmac(_hmac(("TC3" + SECRET_KEY).encode(), date), service), "tc3_request")
    expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        algorithm == "TC3-HMAC-SHA256"
        and secret_id == SECRET_ID
        and service == "sms"
        and headers["x-tc-action"] == "SendSms"
        and headers["x-tc-version"] == "2021-01-11"
        and hmac.compare_digest(expected, parts["Signature"])
    )


def tencent_ok(serial="2640:1234567890"):
    return 200, {
        "Response": {
            "SendStatusSet": [
                {"SerialNo": serial, "PhoneNumber": PHONE, "Fee": 1, "SessionContext": "", "Code": "Ok",
                 "Message": "send success", "IsoCode": "CN"}
            ],
            "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279",
        }
    }  # fmt: skip


def tencent_status(code, message):
    return 200, {
        "Response": {
            "SendStatusSet": [{"SerialNo": "", "PhoneNumber": PHONE, "Fee": 0, "Code": code, "Message": message}],
            "RequestId": "b1",
        }
    }


def tencent_error(code, message):
    return 200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": "c1"}}


@pytest.fixture
def tencent(settings):
    stand_in = StandIn(tencent_signature_ok)
    # Tencent answers 200 with an Error object, even for a bad signature.
    stand_in.signature_error = tencent_error("AuthFailure.SignatureFailure", "The credentials could not be validated.")
    settings.SMS_BACKEND = "core.sms.tencent.TencentSMSBackend"
    settings.SMS_PROVIDER_PROTOCOL = "http"
    settings.SMS_TENCENT_ENDPOINT = stand_in.endpoint
    settings.SMS_TENCENT_SECRET_ID, settings.SMS_TENCENT_SECRET_KEY = SECRET_ID, SECRET_KEY
    settings.SMS_TENCENT_SDK_APP_ID = "1400000001"
    settings.SMS_SIGN_NAME = "县电商办"
    SMSTemplate.objects.filter(key__in=["verification_code", "notice", "notice_link"]).update(
        tencent_template_id="449739"
    )
    yield stand_in
    stand_in.close()


def test_tencent_sends_a_signed_request_with_the_template_and_its_parameters_in_order(tencent):
    tencent.answers.append(tencent_ok())
    record = sms.send_sms(PHONE, "verification_code", code="483920")

    [request] = tencent.requests
    assert request["signature_ok"]
    body = json.loads(request["body"])
    assert body["SmsSdkAppId"] == "1400000001" and body["SignName"] == "县电商办"
    assert body["TemplateId"] == "449739" and body["TemplateParamSet"] == ["483920"]
    assert body["PhoneNumberSet"] == [PHONE]
    assert (record.status, record.backend, record.provider_id) == (SMSMessage.Status.SENT, "tencent", "2640:1234567890")
    assert record.text == "【县电商办】您的验证码为483920，15分钟内有效，请勿泄露给他人。"


def test_a_wrong_secret_is_refused_by_the_stand_in_and_recorded_as_an_auth_failure(tencent, settings):
    settings.SMS_TENCENT_SECRET_KEY = "not-the-secret"
    with pytest.raises(sms.SMSError) as refused:
        sms.send_sms(PHONE, "verification_code", code="111111")
    assert not tencent.requests[0]["signature_ok"]  # the stand-in really checks the signature
    assert refused.value.outcome == SMSMessage.Outcome.AUTH and not refused.value.retry, (
        refused.value.code,
        str(refused.value),
    )
    assert SMSMessage.objects.get().outcome == SMSMessage.Outcome.AUTH


@pytest.mark.parametrize(
    ("answer", "outcome", "retry"),
    [
        (tencent_status("InvalidParameterValue.IncorrectPhoneNumber", "incorrect phone number"), "bad_number", False),
        (tencent_status("LimitExceeded.PhoneNumberDailyLimit", "daily limit"), "provider_limit", True),
        (tencent_error("FailedOperation.TemplateIncorrectOrUnapproved", "template unapproved"), "bad_template", False),
        (tencent_error("FailedOperation.InsufficientBalanceInSmsPackage", "balance"), "quota", False),
        (tencent_error("InternalError.Timeout", "timeout"), "error", True),
    ],
)
def test_tencent_error_answers_become_clear_outcomes(tencent, answer, outcome, retry):
    tencent.answers.append(answer)
    with pytest.raises(sms.SMSError) as refused:
        sms.send_sms(PHONE, "verification_code", code="222222")
    assert (refused.value.outcome, refused.value.retry) == (outcome, retry)
    record = SMSMessage.objects.get()
    assert (record.status, record.outcome) == (SMSMessage.Status.FAILED, outcome) and record.error_code


def test_a_notification_by_sms_records_the_providers_outcome_and_stays_in_the_app(tencent):
    villager = UserFactory(email="", phone=PHONE, preferred_language="zh-hans")
    tencent.answers.append(tencent_status("InvalidParameterValue.IncorrectPhoneNumber", "incorrect phone number"))
    n = Notification.objects.create(recipient=villager, kind="t", title="任务已通过", url="/me/")
    assert notifications.deliver(notification_id=n.pk)  # nothing to retry: shown in the app instead
    n.refresh_from_db()
    assert n.channel == Notification.Channel.IN_APP and n.delivered_at is not None
    assert str(SMSMessage.Outcome.BAD_NUMBER.label) in n.last_error
    [attempt] = n.sms_messages.all()
    assert attempt.template_key == "notice_link" and attempt.params["title"] == "任务已通过"
    assert attempt.params["link"].endswith("/me/")


# --- Aliyun: ACS3-HMAC-SHA256 (https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature) ---


def _aliyun_encode(value):
    return quote(value, safe="-_.~")


def aliyun_signature_ok(request):
    headers = request["headers"]
    algorithm, _, rest = headers.get("authorization", "").partition(" ")
    parts = dict(part.strip().split("=", 1) for part in rest.split(","))
    query = sorted(parse_qsl(urlsplit(request["path"]).query, keep_blank_values=True))
    canonical_query = "&".join(f"{_aliyun_encode(k)}={_aliyun_encode(v)}" for k, v in query)
    signed = parts["SignedHeaders"].split(";")
    canonical_headers = "".join(f"{name}:{headers[name].strip()}\n" for name in signed)
    payload_hash = hashlib.sha256(request["body"]).hexdigest()
    canonical = "\n".join(["POST", "/", canonical_query, canonical_headers, parts["SignedHeaders"], payload_hash])
    to_sign = f"{algorithm}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    expected = hmac.new(SECRET_KEY.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        algorithm == "ACS3-HMAC-SHA256"
        and parts["Credential"] == SECRET_ID
        and headers.get("x-acs-action") == "SendSms"
        and headers.get("x-acs-version") == "2017-05-25"
        and headers.get("x-acs-content-sha256") == payload_hash
        and hmac.compare_digest(expected, parts["Signature"])
    )


def _aliyun_params(request):
    params = dict(parse_qsl(urlsplit(request["path"]).query))
    params.update(parse_qsl(request["body"].decode()))
    return params


@pytest.fixture
def aliyun(settings):
    stand_in = StandIn(aliyun_signature_ok)
    # Aliyun answers 400 with its error code.
    stand_in.signature_error = (400, {"Code": "SignatureDoesNotMatch", "Message": "Not matched.", "RequestId": "x"})
    settings.SMS_BACKEND = "core.sms.aliyun.AliyunSMSBackend"
    settings.SMS_PROVIDER_PROTOCOL = "http"
    settings.SMS_ALIYUN_ENDPOINT = stand_in.endpoint
    settings.SMS_ALIYUN_ACCESS_KEY_ID, settings.SMS_ALIYUN_ACCESS_KEY_SECRET = SECRET_ID, SECRET_KEY
    settings.SMS_SIGN_NAME = "县电商办"
    SMSTemplate.objects.filter(key__in=["verification_code", "notice", "notice_link"]).update(
        aliyun_template_code="SMS_465320001"
    )
    yield stand_in
    stand_in.close()


def aliyun_answer(code="OK", message="OK", biz_id="9006197469364984600^0"):
    return 200, {"Code": code, "Message": message, "BizId": biz_id if code == "OK" else "", "RequestId": "F655A8D5"}


def test_aliyun_sends_a_signed_request_with_named_parameters(aliyun):
    aliyun.answers.append(aliyun_answer())
    record = sms.send_sms(PHONE, "verification_code", code="904112")
    [request] = aliyun.requests
    assert request["signature_ok"]
    params = _aliyun_params(request)
    assert params["PhoneNumbers"] == "13800138000" and params["SignName"] == "县电商办"
    assert params["TemplateCode"] == "SMS_465320001" and json.loads(params["TemplateParam"]) == {"code": "904112"}
    assert (record.status, record.provider_id) == (SMSMessage.Status.SENT, "9006197469364984600^0")


@pytest.mark.parametrize(
    ("code", "outcome", "retry"),
    [
        ("isv.MOBILE_NUMBER_ILLEGAL", "bad_number", False),
        ("isv.SMS_TEMPLATE_ILLEGAL", "bad_template", False),
        ("isv.AMOUNT_NOT_ENOUGH", "quota", False),
        ("isv.BUSINESS_LIMIT_CONTROL", "provider_limit", True),
    ],
)
def test_aliyun_error_answers_become_clear_outcomes(aliyun, code, outcome, retry):
    aliyun.answers.append(aliyun_answer(code, "refused"))
    with pytest.raises(sms.SMSError) as refused:
        sms.send_sms(PHONE, "verification_code", code="333333")
    assert (refused.value.outcome, refused.value.retry, refused.value.code) == (outcome, retry, code)
    assert SMSMessage.objects.get().outcome == outcome


def test_aliyun_wrong_secret_is_an_auth_failure(aliyun, settings):
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "wrong"
    with pytest.raises(sms.SMSError) as refused:
        sms.send_sms(PHONE, "verification_code", code="444444")
    assert not aliyun.requests[0]["signature_ok"]
    assert refused.value.outcome == SMSMessage.Outcome.AUTH


# --- Delivery receipts ---


def test_delivery_receipts_from_both_providers_update_the_messages(client, settings):
    settings.SMS_RECEIPT_TOKEN = "receipt-secret-token"
    sent = {
        name: SMSMessage.objects.create(
            phone=PHONE, template_key="notice", text="x", backend=name, provider_id=pid, status=SMSMessage.Status.SENT
        )
        for name, pid in [("tencent", "2640:1"), ("aliyun", "900^0")]
    }
    tencent_push = [
        {"user_receive_time": "2026-11-30 08:03:04", "nationcode": "86", "mobile": "13800138000",
         "report_status": "SUCCESS", "errmsg": "DELIVRD", "description": "用户短信送达成功", "sid": "2640:1"}
    ]  # fmt: skip
    aliyun_push = [
        {"phone_number": "13800138000", "send_time": "2026-11-30 08:00:00", "report_time": "2026-11-30 08:00:09",
         "success": False, "err_code": "MK:0001", "err_msg": "关机", "sms_size": "1", "biz_id": "900^0"}
    ]  # fmt: skip
    url = reverse("core:sms_receipt", kwargs={"provider": "tencent", "token": "receipt-secret-token"})
    response = client.post(url, json.dumps(tencent_push), content_type="application/json")
    assert response.json() == {"result": 0, "errmsg": "OK"}
    url = reverse("core:sms_receipt", kwargs={"provider": "aliyun", "token": "receipt-secret-token"})
    assert client.post(url, json.dumps(aliyun_push), content_type="application/json").json()["code"] == 0

    sent["tencent"].refresh_from_db()
    sent["aliyun"].refresh_from_db()
    assert (sent["tencent"].status, sent["tencent"].receipt_code) == (SMSMessage.Status.DELIVERED, "DELIVRD")
    assert (sent["aliyun"].status, sent["aliyun"].receipt_code) == (SMSMessage.Status.UNDELIVERED, "MK:0001")


def test_receipts_need_the_secret_token(client, settings):
    settings.SMS_RECEIPT_TOKEN = "receipt-secret-token"
    message = SMSMessage.objects.create(
        phone=PHONE, template_key="notice", text="x", backend="tencent", provider_id="1", status=SMSMessage.Status.SENT
    )
    push = json.dumps([{"sid": "1", "report_status": "SUCCESS", "errmsg": "DELIVRD"}])
    for token in ("wrong-token", ""):
        url = f"/sms/receipts/tencent/{token or 'x'}/"
        assert client.post(url, push, content_type="application/json").status_code == 404
    settings.SMS_RECEIPT_TOKEN = ""  # not configured: every receipt refused
    url = reverse("core:sms_receipt", kwargs={"provider": "tencent", "token": "receipt-secret-token"})
    assert client.post(url, push, content_type="application/json").status_code == 404
    message.refresh_from_db()
    assert message.status == SMSMessage.Status.SENT


# --- Limits per number ---


def test_no_number_gets_more_than_the_hourly_and_daily_limits(settings):
    settings.SMS_LIMIT_PER_NUMBER_PER_HOUR, settings.SMS_LIMIT_PER_NUMBER_PER_DAY = 3, 5
    for _ in range(3):
        sms.send_sms(PHONE, "notice", title="通知")
    with pytest.raises(sms.SMSLimited):
        sms.send_sms(PHONE, "notice", title="第四条")
    assert len(sms.outbox) == 3
    sms.send_sms("+8613900139000", "notice", title="别的号码不受影响")
    # An hour later the hourly window has passed, but the day's limit still counts.
    SMSMessage.objects.filter(phone=PHONE).update(created_at=timezone.now() - timedelta(hours=2))
    sms.send_sms(PHONE, "notice", title="一小时后")
    sms.send_sms(PHONE, "notice", title="一小时后")
    with pytest.raises(sms.SMSLimited):
        sms.send_sms(PHONE, "notice", title="超过每日上限")
    assert SMSMessage.objects.filter(phone=PHONE, status=SMSMessage.Status.LIMITED).count() == 2
    assert len([p for p, _ in sms.outbox if p == PHONE]) == 5


def test_a_limited_verification_code_says_so_on_the_page_and_keeps_the_account(client, settings):
    from django.utils import translation

    from core.adapters import SMS_NOT_SENT

    settings.SMS_LIMIT_PER_NUMBER_PER_HOUR = 0
    payload = {
        "real_name": "向小梅",
        "phone": "13800138000",
        "email": "",
        "password1": "Xq7#pLm2wZ",
        "password2": "Xq7#pLm2wZ",
    }
    response = client.post(reverse("account_signup"), payload, follow=True)
    assert response.status_code == 200 and sms.outbox == []
    with translation.override("zh-hans"):
        assert str(SMS_NOT_SENT) in response.content.decode()
    assert SMSMessage.objects.get().status == SMSMessage.Status.LIMITED
    assert User.objects.filter(phone="+8613800138000").exists()  # nothing typed is lost: the code can be resent


def test_long_parameters_are_shortened_to_the_providers_limit_and_the_log_shows_the_real_text(caplog, settings):
    settings.SMS_BACKEND = "core.sms.LogSMSBackend"
    record = sms.send_sms(PHONE, "notice", title="很长的标题" * 20)
    assert len(record.params["title"]) == 35 and record.params["title"].endswith("…")
    assert record.text.startswith("【县电商办】很长的标题") and "详情请登录县电商孵化平台查看" in record.text
    assert record.text in caplog.text
