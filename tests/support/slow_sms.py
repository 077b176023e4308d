"""An SMS backend for the fault drills: it writes to a file, slowly, so a worker can die mid-send.

Each call appends "start <pid> <phone>" to SLOW_SMS_FILE, sleeps SLOW_SMS_SECONDS, then appends
"sent <pid> <phone> <message>". A worker killed during the sleep leaves a "start" line and no
"sent" line: the message was not delivered, and a redelivered task must deliver it exactly once.
"""

import os
import time

from core.sms import BaseSMSBackend


def _append(line: str) -> None:
    with open(os.environ["SLOW_SMS_FILE"], "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


class SlowFileSMSBackend(BaseSMSBackend):
    name = "slow-file"

    def send(self, phone, template, params, text):
        _append(f"start {os.getpid()} {phone}")
        time.sleep(float(os.environ.get("SLOW_SMS_SECONDS", "5")))
        _append(f"sent {os.getpid()} {phone} {text}")
        return f"slow-{os.getpid()}"


def read_lines(path) -> list[str]:
    try:
        with open(path, encoding="utf-8") as handle:
            return [line.rstrip("\n") for line in handle if line.strip()]
    except FileNotFoundError:
        return []
