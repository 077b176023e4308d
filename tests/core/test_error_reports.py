"""Error reports leave the county's machines without villagers' personal data (issue 17)."""

import gzip
import json
import logging
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from django.core import mail

from core.error_reports import MASK, JsonFormatter, ScrubbingAdminEmailHandler, scrub, scrub_data
from tests.support.production import run_manage

PHONE, EMAIL, ID_CARD = "13812345678", "li.si@example.cn", "36072119900101123X"


def test_scrub_masks_phones_emails_and_id_cards_and_keeps_the_rest():
    text = f"申请 42 失败: 电话 {PHONE} / +86 138-1234-5678, 邮箱 {EMAIL}, 身份证 {ID_CARD}, 订单 2026110112"
    scrubbed = scrub(text)
    assert PHONE not in scrubbed and "138-1234-5678" not in scrubbed
    assert EMAIL not in scrubbed and ID_CARD not in scrubbed
    assert "申请 42 失败" in scrubbed and "2026110112" in scrubbed  # ids and order numbers stay
    assert scrub_data({"password": "x", "phone": PHONE, "note": f"call {PHONE}", "n": 3}) == {
        "password": MASK,
        "phone": MASK,
        "note": f"call {MASK}",
        "n": 3,
    }


def test_json_log_lines_are_scrubbed_including_the_traceback():
    logger = logging.getLogger("tests.error_reports")
    try:
        raise ValueError(f"bad phone {PHONE}")
    except ValueError:
        record = logger.makeRecord(logger.name, logging.ERROR, __file__, 1, "report for %s", (EMAIL,), exc_info=True)
        import sys

        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["logger"] == "tests.error_reports"
    assert entry["message"] == f"report for {MASK}"
    assert "ValueError" in entry["exception"] and PHONE not in line and EMAIL not in line


@pytest.mark.django_db
def test_the_error_mail_to_admins_carries_no_personal_data(rf, settings):
    settings.ADMINS = [("值班", "ops@county.example.cn")]
    request = rf.post("/me/profile/", {"phone": PHONE, "email": EMAIL, "note": f"id {ID_CARD}"})
    handler = ScrubbingAdminEmailHandler()
    try:
        raise RuntimeError(f"profile save failed for {PHONE}")
    except RuntimeError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/me/profile/",), sys.exc_info()
        )
    record.request = request
    handler.emit(record)
    [message] = mail.outbox
    assert message.to == ["ops@county.example.cn"]
    body = message.subject + message.body
    assert "RuntimeError" in body
    for secret in (PHONE, EMAIL, ID_CARD):
        assert secret not in body
    assert not message.alternatives  # no HTML report with the request's full detail


class _SentryStandIn(BaseHTTPRequestHandler):
    """Sentry's envelope endpoint on loopback: stores what the SDK sends."""

    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_sentry_gets_the_error_without_personal_data_only_when_a_dsn_is_set():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SentryStandIn)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _SentryStandIn.received = []
    code = (
        "import sentry_sdk\n"
        "def save_profile(phone, email):\n"
        f"    id_card = '{ID_CARD}'\n"
        "    raise RuntimeError('could not save ' + phone)\n"
        "try:\n"
        f"    save_profile('{PHONE}', '{EMAIL}')\n"
        "except RuntimeError:\n"
        "    sentry_sdk.capture_exception()\n"
        "sentry_sdk.flush(5)\n"
        "print('sent')\n"
    )
    try:
        dsn = f"http://publickey@127.0.0.1:{server.server_address[1]}/7"
        result = run_manage("shell", "-c", code, env={"SENTRY_DSN": dsn})
        assert result.returncode == 0, result.stderr
        assert _SentryStandIn.received, "the SDK sent nothing to the loopback Sentry"
        envelope = b"\n".join(_SentryStandIn.received).decode()
        assert "RuntimeError" in envelope and "save_profile" in envelope
        for secret in (PHONE, EMAIL, ID_CARD):
            assert secret not in envelope

        _SentryStandIn.received = []
        result = run_manage("shell", "-c", code, unset=("SENTRY_DSN",))
        assert result.returncode == 0, result.stderr
        assert _SentryStandIn.received == []
    finally:
        server.shutdown()


def test_production_logs_are_json_lines():
    result = run_manage(
        "shell", "-c", f"import logging; logging.getLogger('incubator').warning('sms to {PHONE} failed')"
    )
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stderr.splitlines() if "sms to" in line]
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["message"] == f"sms to {MASK} failed"
