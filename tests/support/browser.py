"""Debian's Chromium driven through Playwright: one way for every browser test.

`make test` installs Chromium (scripts/system-deps.sh); `playwright install` cannot download
browsers here, so the tests launch /usr/bin/chromium. The fixtures `chromium` and `phone` in
tests/conftest.py use this module.
"""

from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--disable-dev-shm-usage",
]
# A villager's phone: a narrow touch screen, in Chinese.
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "zh-CN", "has_touch": True}


@contextmanager
def launched():
    """A headless Chromium browser, closed on the way out."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium (make test installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=60_000)
        try:
            yield browser
        finally:
            browser.close()
