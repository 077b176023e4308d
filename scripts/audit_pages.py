"""`make audit-pages`: serve the demo county with production settings (gunicorn, WhiteNoise, an
SQLite database in a temporary folder) and measure the key pages in a real browser:

- Lighthouse 12 (npm) mobile audit: performance, accessibility, best practices, SEO;
- axe-core (npm) injected with Playwright into Debian's Chromium at a phone's size (360x740);
- the Nu HTML checker (npm `vnu-jar`, Java 17) on the HTML as served;
- the bytes on the wire (gzipped HTML + CSS + JS, before images and video).

Signed-in pages are fetched with the session of a demo account, signed in through the real form;
the phone verification page with the session of a visitor who has just signed up with a phone.
Prints a table and writes it to docs/pages.md (between the audit markers). Exits 1 when a page
misses a target (each Lighthouse category 100, no axe violation, no HTML error, the budget).

Needs: `npm ci` (package.json at the project root; `make audit-pages` and `make test` run it),
/usr/bin/chromium (`apt-get install chromium`),
java. Run from the project root: .venv/bin/python scripts/audit_pages.py [--port 8799] [--keep]
"""

# The commands run are this project's own tools (fixed paths), on addresses of this machine.
# ruff: noqa: S603, S607, S310

import argparse
import gzip
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
DOC = ROOT / "docs" / "pages.md"
START, END = "<!-- audit:start -->", "<!-- audit:end -->"
DEMO_PASSWORD = "incubator-demo"  # noqa: S105 (the demo accounts of seed_demo, never production)
SIGNING_UP = "signing-up"  # tests/pages/key_pages.py: a visitor just signed up with a phone, not an account
CATEGORIES = [("performance", "perf"), ("accessibility", "a11y"), ("best-practices", "best pr."), ("seo", "SEO")]

DISCOVER = """
import json
from core.models import User
from tests.pages.key_pages import NEWCOMER, discover
if not User.objects.filter(email=NEWCOMER).exists():
    User.objects.create_user(username="audit-newcomer", email=NEWCOMER, password="incubator-demo", real_name="新学员")
print("AUDIT-JSON" + json.dumps([p.as_dict() for p in discover() if p.audited]))
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def missing_tools(*, lighthouse: bool = True) -> list[str]:
    """What the audit needs and this machine lacks (after `npm ci`); the suite's check of the
    signed-in lesson pages (tests/pages/test_lesson_pages_checked.py) asks too, without Lighthouse."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"Chromium at {CHROMIUM} (apt-get install -y chromium)")
    if not shutil.which("java"):
        missing.append("java (apt-get install -y openjdk-17-jre-headless)")
    npm_tools = {"axe-core": AXE, "vnu-jar": VNU} | ({"lighthouse": LIGHTHOUSE} if lighthouse else {})
    absent = [name for name, tool in npm_tools.items() if not tool.exists()]
    if absent:
        missing.append(f"the npm tools {', '.join(absent)} (npm ci --no-audit --no-fund; make test runs it)")
    return missing


def check_tools() -> None:
    missing = missing_tools()
    if missing:
        sys.exit("audit-pages needs: " + "; ".join(missing))


def site_env(tmp: Path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "CACHE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="incubator.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp / "private"),
        SERVE_MEDIA="true",
        SITE_URL=f"http://localhost:{port}",
        # Production settings need a shared cache; Redis away is only a miss (core/cache.py).
        CACHE_URL=os.environ.get("AUDIT_CACHE_URL", "redis://127.0.0.1:6379/13"),
    )
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare_site(env: dict) -> list[dict]:
    log("Compiling messages, migrating and seeding the demo county (production settings)...")
    manage(env, "compilemessages", "-v", "0", "-i", ".venv", "-i", "node_modules")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "seed_demo")
    out = manage(env, "shell", "-c", DISCOVER)
    return json.loads(out.split("AUDIT-JSON", 1)[1])


def start_server(env: dict, port: int, tmp: Path) -> subprocess.Popen:
    log(f"Starting gunicorn on http://localhost:{port}/ ...")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "incubator.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(tmp / "gunicorn.log", "w"),  # noqa: SIM115 (closed with the process)
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://localhost:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    stop_server(server)
    sys.exit(f"gunicorn did not answer; see {tmp / 'gunicorn.log'}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def sign_in(base: str, email: str) -> str:
    """Sign in through the real form; return the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    with opener.open(f"{base}/accounts/login/") as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": email, "password": DEMO_PASSWORD}).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
    )
    try:
        opener.open(request)
    except urllib.error.HTTPError as redirect:  # the 302 after a good sign-in
        if redirect.code != 302:
            raise
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        sys.exit(f"could not sign in as {email}")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def sign_up_with_a_phone(base: str) -> str:
    """Sign up through the real form with a new phone number; return the Cookie header of the session,
    which waits on the phone verification page (the SMS code goes to the log)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    with opener.open(f"{base}/accounts/signup/") as response:
        html = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    phone = "139" + "".join(secrets.choice("0123456789") for _ in range(8))
    form = {"csrfmiddlewaretoken": token, "real_name": "新村民", "phone": phone}
    form |= {"email": "", "password1": DEMO_PASSWORD + "-2026", "password2": DEMO_PASSWORD + "-2026"}
    request = urllib.request.Request(
        f"{base}/accounts/signup/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": f"{base}/accounts/signup/"},
    )
    try:
        opener.open(request)
    except urllib.error.HTTPError as redirect:  # the 302 to the code page
        if redirect.code != 302 or "/accounts/phone/verify/" not in redirect.headers.get("Location", ""):
            raise
    else:
        sys.exit("signing up with a phone did not lead to the code page")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def session_for(base: str, account: str) -> str:
    return sign_up_with_a_phone(base) if account == SIGNING_UP else sign_in(base, account)


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])


def fetch(url: str, cookie: str) -> tuple[int, bytes, str]:
    """(bytes on the wire, decoded body, final status) of one GET, gzip accepted."""
    headers = {"Accept-Encoding": "gzip", "Cookie": cookie} if cookie else {"Accept-Encoding": "gzip"}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
        wire = response.read()
        encoding = response.headers.get("Content-Encoding")
    body = gzip.decompress(wire) if encoding == "gzip" else wire
    return len(wire), body, encoding or "identity"


def weigh(base: str, path: str, cookie: str, html_file: Path) -> dict:
    html_bytes, body, encoding = fetch(base + path, cookie)
    html_file.write_bytes(body)
    assets = _Assets()
    assets.feed(body.decode())
    total = html_bytes
    for url in assets.urls:
        total += fetch(urllib.parse.urljoin(base + path, url), "")[0]
    return {"bytes": total, "html_encoding": encoding}


def cpu_multiplier(benchmark_index: float) -> float:
    """Lighthouse's own calibration (its docs' "CPU throttling calculator"): its default 4x
    slowdown assumes a fast desktop (benchmark index about 1500); a slower or busier host is
    already closer to the emulated phone and must be slowed down less, or not at all."""
    if benchmark_index >= 1300:
        return round(3 + (benchmark_index - 1300) / 233, 1)
    if benchmark_index >= 800:
        return 2.0
    return 1.0


def lighthouse(url: str, cookie: str, out: Path, multiplier: float | None = None) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--only-categories=performance,accessibility,best-practices,seo",
        f"--chrome-flags={CHROME_FLAGS}",
        "--max-wait-for-load=45000",
    ]
    if multiplier is not None:
        command.append(f"--throttling.cpuSlowdownMultiplier={multiplier}")
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    result = subprocess.run(
        command, cwd=ROOT, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True
    )
    if result.returncode or not out.exists():
        return {"error": (result.stderr or result.stdout)[-400:]}
    report = json.loads(out.read_text())
    scores, failing = {}, []
    for key, _label in CATEGORIES:
        category = report["categories"][key]
        scores[key] = None if category["score"] is None else round(category["score"] * 100)
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                failing.append(f"{key}: {ref['id']} ({audit.get('displayValue') or audit['title']})")
    return {"scores": scores, "failing": failing, "benchmark_index": report["environment"]["benchmarkIndex"]}


AXE_RUN = (
    "axe.run(document).then(r => r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,"
    " target: v.nodes[0] && v.nodes[0].target.join(' ')})))"
)
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "zh-CN", "is_mobile": True}


def axe_page(browser, base: str, path: str, cookie: str = "") -> list[dict]:
    """axe-core's violations on one page (a phone's size), opened with the Cookie header `cookie`."""
    # axe is injected as a script: the page's Content-Security-Policy (no inline script) is set aside for it.
    context = browser.new_context(**PHONE, bypass_csp=True)
    try:
        if cookie:
            context.add_cookies(
                [{"name": k, "value": v, "url": base} for k, v in (pair.split("=", 1) for pair in cookie.split("; "))]
            )
        tab = context.new_page()
        tab.goto(base + path, wait_until="load")
        tab.add_script_tag(path=str(AXE))
        return tab.evaluate(AXE_RUN)
    finally:
        context.close()


def axe_all(base: str, pages: list[dict], cookies: dict) -> dict:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for page in pages:
            results[page["key"]] = axe_page(browser, base, page["path"], cookies.get(page["account"]) or "")
        browser.close()
    return results


def vnu(files: list[Path]) -> dict:
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors: dict[str, list[str]] = {file.stem: [] for file in files}
    for message in messages:
        if message.get("type") == "error" or message.get("subType") == "fatal":
            stem = Path(urllib.parse.urlparse(message.get("url", "")).path).stem
            errors.setdefault(stem, []).append(f"line {message.get('lastLine', '?')}: {message['message']}")
    return errors


def table(rows: list[dict]) -> str:
    head = (
        "| page | address | KB gz (budget) | "
        + " | ".join(label for _k, label in CATEGORIES)
        + " | axe | HTML errors |"
    )
    lines = [head, "|" + " --- |" * (head.count("|") - 1)]
    for row in rows:
        if row.get("skipped"):
            lines.append(f"| {row['label']} | – | {row['skipped']} |" + " |" * (len(CATEGORIES) + 2))
            continue
        scores = row["lighthouse"].get("scores") or {}
        cells = [str(scores.get(key, "err")) for key, _label in CATEGORIES]
        size = f"{row['bytes'] / 1000:.1f} ({row['budget'] // 1000})"
        lines.append(
            f"| {row['label']} | `{row['path']}` | {size} | "
            + " | ".join(cells)
            + f" | {len(row['axe'])} | {len(row['html_errors'])} |"
        )
    return "\n".join(lines)


def details(rows: list[dict]) -> str:
    out = []
    for row in rows:
        if row.get("skipped"):
            continue
        notes = list(row["lighthouse"].get("failing", []))
        if "error" in row["lighthouse"]:
            notes.append("lighthouse failed: " + row["lighthouse"]["error"].strip().replace("\n", " "))
        notes += [f"axe: {v['id']} ({v['impact']}, {v['nodes']} nodes, e.g. `{v['target']}`)" for v in row["axe"]]
        notes += [f"HTML: {error}" for error in row["html_errors"]]
        if notes:
            out.append(f"- **{row['label']}** (`{row['path']}`):\n" + "\n".join(f"  - {note}" for note in notes))
    return "\n".join(out) or "Nothing: every audited page meets every target."


def meets_targets(row: dict) -> bool:
    scores = row["lighthouse"].get("scores") or {}
    return (
        all(scores.get(key) == 100 for key, _label in CATEGORIES)
        and not row["axe"]
        and not row["html_errors"]
        and row["bytes"] <= row["budget"]
    )


def write_doc(report: str) -> None:
    text = DOC.read_text() if DOC.exists() else "# Pages: light, offline, accessible\n"
    block = f"{START}\n{report}\n{END}"
    if START in text and END in text:
        text = text.split(START)[0] + block + text.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n## Latest audit\n\n" + block + "\n"
    DOC.write_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (database, reports, HTML)")
    parser.add_argument(
        "--cpu-multiplier", type=float, help="Lighthouse CPU slowdown (default: calibrated from the host)"
    )
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite docs/pages.md")
    args = parser.parse_args()

    check_tools()
    tmp = Path(tempfile.mkdtemp(prefix="audit-pages-"))
    (tmp / "html").mkdir()
    env = site_env(tmp, args.port)
    base = f"http://localhost:{args.port}"
    pages = prepare_site(env)
    server = start_server(env, args.port, tmp)
    try:
        cookies = {account: session_for(base, account) for account in {p["account"] for p in pages if p["account"]}}
        rows, measured = [], []
        # A first run on the home page measures this host's CPU (Lighthouse's benchmark index).
        probe = lighthouse(base + "/", "", tmp / "lighthouse-probe.json")
        benchmark = probe.get("benchmark_index") or 1500
        multiplier = args.cpu_multiplier or cpu_multiplier(benchmark)
        log(f"Host benchmark index {benchmark:.0f}: CPU slowdown {multiplier}x")
        for page in pages:
            if not page["path"]:
                rows.append({**page, "skipped": f"not measured: {page['missing']}"})
                continue
            cookie = cookies.get(page["account"], "")
            log(f"Measuring {page['label']} ({page['path']})...")
            row = {**page, **weigh(base, page["path"], cookie, tmp / "html" / f"{page['key']}.html")}
            row["lighthouse"] = lighthouse(
                base + page["path"], cookie, tmp / f"lighthouse-{page['key']}.json", multiplier
            )
            rows.append(row)
            measured.append(page)
        log("Running axe-core in Chromium at 360x740...")
        axe = axe_all(base, measured, cookies)
        log("Running the Nu HTML checker...")
        html_errors = vnu([tmp / "html" / f"{page['key']}.html" for page in measured])
        for row in rows:
            if not row.get("skipped"):
                row["axe"] = axe.get(row["key"], [])
                row["html_errors"] = html_errors.get(row["key"], [])
    finally:
        stop_server(server)

    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    ok = all(meets_targets(row) for row in rows if not row.get("skipped"))
    report = (
        f"Measured {when} by `make audit-pages` (Lighthouse 12 mobile: simulated slow 4G, CPU slowdown "
        f"{multiplier}x calibrated from the host's benchmark index {benchmark:.0f}; axe-core at 360x740; Nu HTML "
        f"checker; production settings, gunicorn, demo data). KB = gzipped HTML + CSS + JS on the wire.\n\n"
        f"{table(rows)}\n\nWhat fell short:\n\n{details(rows)}\n"
    )
    print(report)
    print("All targets met." if ok else "Some targets are not met (see above).")
    if not args.no_doc:
        write_doc(report)
        log(f"Wrote {DOC.relative_to(ROOT)}")
    if args.keep:
        log(f"Kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
