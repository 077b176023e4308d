"""Drill: two gunicorn nodes behind nginx, sharing PostgreSQL and Redis, as docs/deploy.md describes.

One cluster for the module, every process a child of this one and killed in the fixture's
teardown:
- a database of its own (`<DATABASE_URL's name>_drill_nodes`), created, migrated with
  `manage.py migrate` and seeded here, dropped afterwards;
- Redis at CELERY_BROKER_URL as both the cache (CACHE_URL) and the broker, flushed before and after;
- two nodes, `gunicorn --config gunicorn.conf.py` under incubator.settings.production, on free
  loopback ports, each in a process group of its own (a SIGKILL takes the master and its workers,
  as a machine that dies would);
- Debian's nginx in the foreground (`-p <tmp> -c <tmp>/nginx.conf`), its site file rendered
  from scripts/nginx-two-nodes.conf.template, the file docs/deploy.md shows.

Everything goes over HTTP with `requests`; people sign in through allauth's login form. The
tests run in file order: the last one kills node A.

Staff two-factor (STAFF_MFA_REQUIRED, on by default in production) is turned off for the office
accounts here: the drill is about what the nodes share, and tests/security covers the second factor.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from django.utils import timezone

from tests.support.services import broker_url

pytestmark = pytest.mark.drill

requests = pytest.importorskip("requests")

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "scripts" / "nginx-two-nodes.conf.template"
PASSWORD = "incubator-demo"  # core.demo's password: this drill's own throw-away database
MERCHANTS, SHOPS_EACH = 4, 15  # 4 client threads x 15 reports
KILL_AFTER = 20  # successful reports before node A is killed
TIMEOUT = 30  # seconds, any one HTTP request
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")  # Debian's, outside a user's PATH

# Run in the drill's database with `manage.py shell -c`: the office, a superuser and the merchants
# with their shops (the demo helpers: verified email, the demo password). Prints the ids as JSON.
SEED = f"""
import datetime, json
from django.contrib.auth.models import Group
from core import demo, roles
from incubator.merchants.models import Shop
office = demo.ensure_person(email="office@drill.local", real_name="周文静", role=roles.OFFICE)
admin = demo.ensure_person(email="admin@drill.local", real_name="系统管理员", superuser=True)
merchants = []
for m in range({MERCHANTS}):
    owner = demo.ensure_person(email=f"merchant{{m}}@drill.local", real_name=f"商户{{m}}", role=roles.TRAINEE)
    shops = [
        Shop.objects.create(
            owner=owner, platform=Shop.Platform.TAOBAO, name=f"橙乡小铺 {{m}}-{{s}}",
            url=f"https://shop-{{m}}-{{s}}.example.com/", opened_on=datetime.date(2024, 1, 1),
        ).pk
        for s in range({SHOPS_EACH})
    ]
    merchants.append({{"email": owner.email, "name": owner.real_name, "shops": shops}})
print(json.dumps({{
    "office": {{"id": office.pk, "email": office.email}},
    "admin": {{"email": admin.email}},
    "office_group": Group.objects.get(name=roles.OFFICE).pk,
    "merchants": merchants,
}}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, size: int = 3000) -> str:
    return path.read_text(errors="replace")[-size:] if path.exists() else f"({path.name}: nothing written)"


@dataclass
class Node:
    name: str
    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self, sig=signal.SIGKILL) -> None:
        """The whole process group: gunicorn's master and its workers (or nginx's)."""
        if not self.alive():
            return
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@dataclass
class Cluster:
    tmp: Path
    db_url: str
    redis_url: str
    node_a: Node
    node_b: Node
    lb: Node
    seed: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)

    def psql(self, sql: str, *, database: str | None = None) -> str:
        parsed = urlparse(self.db_url)
        result = subprocess.run(
            [
                "psql",
                "-h",
                parsed.hostname or "127.0.0.1",
                "-p",
                str(parsed.port or 5432),
                "-U",
                parsed.username or "postgres",
                "-d",
                database or parsed.path.lstrip("/"),
                "-v",
                "ON_ERROR_STOP=1",
                "-tAq",
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env=dict(os.environ, PGPASSWORD=parsed.password or ""),
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows from the drill's database, as the nodes committed them."""
        import psycopg

        with psycopg.connect(self.db_url, connect_timeout=10) as conn:
            return conn.execute(sql, params).fetchall()

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{tail(path)}"
            for path in (self.node_a.log, self.node_b.log, self.tmp / "error.log", self.tmp / "access.log")
        )


def drill_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("this drill needs PostgreSQL (set DATABASE_URL=postgres://...)")
    parsed = urlparse(url)
    return parsed._replace(path=f"/{parsed.path.lstrip('/') or 'incubator'}_drill_nodes").geturl()


def node_env(cluster: Cluster) -> dict:
    env = dict(os.environ)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for Playwright's event loop
    env.update(
        DJANGO_SETTINGS_MODULE="incubator.settings.production",
        SECRET_KEY="drill-only-" + "k" * 50,
        DATABASE_URL=cluster.db_url,
        CACHE_URL=cluster.redis_url,
        CELERY_BROKER_URL=cluster.redis_url,
        # Notifications enqueued by the reports wait on a queue of this run's own; nobody takes them.
        CELERY_TASK_DEFAULT_QUEUE=f"incubator-drill-nodes-{os.getpid()}",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        CSRF_TRUSTED_ORIGINS=cluster.lb.url,
        SITE_URL=cluster.lb.url,
        STAFF_MFA_REQUIRED="false",
        MEDIA_ROOT=str(cluster.tmp / "media"),
        PRIVATE_MEDIA_ROOT=str(cluster.tmp / "private"),
        PYTHONPATH=str(ROOT),
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(cluster: Cluster, *args: str, timeout: float = 180) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=node_env(cluster),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {args[0]}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def start(node: Node, command: list[str], env: dict) -> None:
    handle = open(node.log, "ab")  # noqa: SIM115 (the child keeps it; closed when the test ends)
    node.process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )
    handle.close()


def start_gunicorn(cluster: Cluster, node: Node) -> None:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "incubator.wsgi:application",
        "--config",
        "gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{node.port}",
        "--workers",
        "2",
        "--timeout",
        "60",
        "--access-logfile",
        "-",
    ]
    start(node, command, node_env(cluster))


def render_nginx(cluster: Cluster) -> Path:
    """The site file from the template docs/deploy.md shows, inside a main file for this run."""
    site = TEMPLATE.read_text()
    for placeholder, value in {
        "@NODE_A@": f"127.0.0.1:{cluster.node_a.port}",
        "@NODE_B@": f"127.0.0.1:{cluster.node_b.port}",
        "@LISTEN@": f"127.0.0.1:{cluster.lb.port}",
        "@MEDIA_ROOT@": str(cluster.tmp / "media"),
    }.items():
        site = site.replace(placeholder, value)
    assert "@" not in re.sub(r"#.*", "", site), "a placeholder of the template was not filled in"
    (cluster.tmp / "incubator.conf").write_text(site)
    tmp = cluster.tmp
    # As root, nginx's workers drop to an unprivileged user (the temp directory is 0755 for them).
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    main = (
        f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log notice;\n"
        "events { worker_connections 256; }\n"
        "http {\n"
        "    log_format drill '$request_method $uri $status $upstream_addr $upstream_status';\n"
        f"    access_log {tmp}/access.log drill;\n"
        f"    client_body_temp_path {tmp}/client_body;\n    proxy_temp_path {tmp}/proxy;\n"
        f"    fastcgi_temp_path {tmp}/fastcgi;\n    uwsgi_temp_path {tmp}/uwsgi;\n    scgi_temp_path {tmp}/scgi;\n"
        f"    include {tmp}/incubator.conf;\n"
        "}\n"
    )
    conf = tmp / "nginx.conf"
    conf.write_text(main)
    return conf


def wait_until_answering(node: Node, path: str, deadline: float) -> None:
    while True:
        assert node.alive(), f"{node.name} exited:\n{tail(node.log)}"
        try:
            if requests.get(node.url + path, timeout=5).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):  # the master is up, a worker still loading
            pass
        assert time.monotonic() < deadline, f"{node.name} did not answer {path}:\n{tail(node.log)}"
        time.sleep(0.3)


def redis_flush(url: str) -> None:
    parsed = urlparse(url)
    db = parsed.path.lstrip("/") or "0"
    subprocess.run(
        ["redis-cli", "-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 6379), "-n", db, "flushdb"],
        capture_output=True,
        timeout=10,
        check=True,
    )


@pytest.fixture(scope="module")
def cluster():
    db_url = drill_database_url()
    redis_url = broker_url()
    for tool in (NGINX, "psql", "redis-cli"):
        if tool is None or shutil.which(tool) is None:
            pytest.skip(f"this drill needs {tool or 'nginx'} (scripts/system-deps.sh test installs it)")
    tmp = Path(tempfile.mkdtemp(prefix="incubator-two-nodes-"))
    tmp.chmod(0o755)
    cluster = Cluster(
        tmp=tmp,
        db_url=db_url,
        redis_url=redis_url,
        node_a=Node("node A", free_port(), tmp / "node-a.log"),
        node_b=Node("node B", free_port(), tmp / "node-b.log"),
        lb=Node("nginx", free_port(), tmp / "nginx.out"),
    )
    name = urlparse(db_url).path.lstrip("/")
    maintenance = "postgres"
    started = time.monotonic()
    try:
        redis_flush(redis_url)
        cluster.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', database=maintenance)
        cluster.psql(f'CREATE DATABASE "{name}"', database=maintenance)
        step = time.monotonic()
        manage(cluster, "migrate", "--noinput", "-v", "0")
        cluster.timings["migrate"] = time.monotonic() - step
        step = time.monotonic()
        manage(cluster, "collectstatic", "--noinput", "-v", "0")  # as scripts/serve.sh, once per release
        cluster.timings["collectstatic"] = time.monotonic() - step
        cluster.seed = json.loads(manage(cluster, "shell", "-c", SEED).strip().splitlines()[-1])

        step = time.monotonic()
        start_gunicorn(cluster, cluster.node_a)
        start_gunicorn(cluster, cluster.node_b)
        conf = render_nginx(cluster)
        start(cluster.lb, [NGINX, "-p", str(tmp), "-c", str(conf), "-g", "daemon off;"], dict(os.environ))
        deadline = time.monotonic() + 90
        for node in (cluster.node_a, cluster.node_b):
            wait_until_answering(node, "/healthz/live", deadline)
        wait_until_answering(cluster.lb, "/healthz/live", deadline)
        cluster.timings["nodes up"] = time.monotonic() - step
        cluster.timings["setup"] = time.monotonic() - started
        yield cluster
    finally:
        for node in (cluster.lb, cluster.node_a, cluster.node_b):
            node.kill(signal.SIGTERM)
        try:
            cluster.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', database=maintenance)
        finally:
            redis_flush(redis_url)
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"two-node drill timings (s): { {k: round(v, 1) for k, v in cluster.timings.items()} }")


# --- HTTP as a person does it -------------------------------------------------------------


class Forms(HTMLParser):
    """The forms of a page and what a browser would send for each (checked boxes, selected options)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": []})
        elif not self.forms or "name" not in attrs or "disabled" in attrs:
            if tag == "select":
                self._select = None
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file", "image", "reset"):
                self.forms[-1]["fields"].append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.forms[-1]["fields"].append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1]["fields"].append(tuple(self._textarea))
            self._textarea = None


def form_fields(html: str, *, action: str | None = None, having: str | None = None) -> list[tuple[str, str]]:
    """The fields of the page's form that posts to `action`, or that has a field named `having`."""
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        if form["action"] == action or (having and having in {name for name, _value in form["fields"]}):
            return form["fields"]
    raise AssertionError(f"no such form ({action or having}) on the page: {[f['action'] for f in parser.forms]}")


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(base: str, email: str) -> "requests.Session":
    """allauth's login form, as a browser fills it in."""
    session = requests.Session()
    page = session.get(f"{base}/accounts/login/", timeout=TIMEOUT)
    assert page.status_code == 200, page.status_code
    fields = dict(form_fields(page.text, having="login"))
    fields.update(login=email, password=PASSWORD, csrfmiddlewaretoken=csrf_token(page.text))
    answer = session.post(f"{base}/accounts/login/", data=fields, allow_redirects=False, timeout=TIMEOUT)
    assert answer.status_code == 302, f"{email} could not sign in ({answer.status_code}):\n{answer.text[:2000]}"
    return session


def get(session: "requests.Session", url: str) -> "requests.Response":
    return session.get(url, allow_redirects=False, timeout=TIMEOUT)


def upstream_lines(cluster: Cluster) -> list[str]:
    return (cluster.tmp / "access.log").read_text(errors="replace").splitlines()


# --- the drills -------------------------------------------------------------------------------


def test_the_balancer_and_each_node_answer_liveness_and_readiness(cluster):
    for base in (cluster.node_a.url, cluster.node_b.url, cluster.lb.url):
        live = requests.get(base + "/healthz/live", timeout=TIMEOUT)
        assert (live.status_code, live.json()) == (200, {"status": "ok"})
        ready = requests.get(base + "/healthz/ready", timeout=TIMEOUT)
        assert ready.status_code == 200, ready.text
        # Production settings with a broker: each dependency named, each up.
        assert ready.json() == {
            "status": "ok",
            "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
            "failed": [],
        }
    # nginx spreads requests over both nodes.
    for _ in range(4):
        requests.get(cluster.lb.url + "/healthz/live", timeout=TIMEOUT)
    served_by = {line.split()[3] for line in upstream_lines(cluster) if "/healthz/live" in line}
    assert served_by >= {f"127.0.0.1:{cluster.node_a.port}", f"127.0.0.1:{cluster.node_b.port}"}, served_by


def test_a_role_revoked_through_node_a_is_refused_on_node_b_on_the_next_request(cluster):
    office, group = cluster.seed["office"], cluster.seed["office_group"]
    staff = sign_in(cluster.node_b.url, office["email"])
    before = get(staff, cluster.node_b.url + "/admin/")
    assert before.status_code == 200, f"the office cannot open the admin on node B: {before.status_code}"

    # The superuser takes the office role away in the Wagtail admin of node A.
    admin = sign_in(cluster.node_a.url, cluster.seed["admin"]["email"])
    edit = f"/admin/users/edit/{office['id']}/"
    page = get(admin, cluster.node_a.url + edit)
    assert page.status_code == 200, page.status_code
    fields = form_fields(page.text, action=edit)
    assert ("groups", str(group)) in fields, "the office user's edit form does not show the County office role"
    fields = [(name, value) for name, value in fields if (name, value) != ("groups", str(group))]
    saved = admin.post(cluster.node_a.url + edit, data=fields, allow_redirects=False, timeout=TIMEOUT)
    assert saved.status_code == 302, f"the user form was not saved ({saved.status_code}):\n{saved.text[-3000:]}"
    assert cluster.query("SELECT count(*) FROM core_user_groups WHERE user_id = %s", (office["id"],)) == [(0,)]

    after = get(staff, cluster.node_b.url + "/admin/")
    # Wagtail's answer to a signed-in person without admin access: to the login, to sign in as
    # somebody who has it (WAGTAILADMIN_LOGIN_URL is allauth's login).
    assert (after.status_code, after.headers.get("Location")) == (302, "/accounts/login/?next=/admin/"), (
        f"node B still lets the revoked office user in: {after.status_code}"
    )


@dataclass
class Outcome:
    shop: int
    orders: int
    status: int | str  # the HTTP status, or the client's error
    location: str = ""

    @property
    def stored(self) -> bool:
        return self.status == 302 and self.location == f"/me/shops/{self.shop}/"


def test_a_node_killed_while_merchants_report_sales_loses_nothing_and_keeps_sessions(cluster):
    # Last month: it is over, so it can be reported, and the seed reports none of its months.
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    merchants = cluster.seed["merchants"]
    node_a_addr = f"127.0.0.1:{cluster.node_a.port}"

    # A session made on node A, to be used on node B once A is gone.
    on_a = sign_in(cluster.node_a.url, merchants[0]["email"])
    assert get(on_a, cluster.node_a.url + "/me/").status_code == 200

    sessions = [sign_in(cluster.lb.url, merchant["email"]) for merchant in merchants]
    outcomes: list[Outcome] = []
    lock, enough = threading.Lock(), threading.Event()

    def report(index: int) -> None:
        session, shops = sessions[index], merchants[index]["shops"]
        token = csrf_token(get(session, f"{cluster.lb.url}/me/shops/{shops[0]}/").text)
        for number, shop in enumerate(shops):
            orders = index * 100 + number + 1  # what this shop's row must hold, once
            data = {
                "month": f"{month:%Y-%m}",
                "orders": str(orders),
                "sales": "1234.50",
                "products_sold": "脐橙礼盒",
                "csrfmiddlewaretoken": token,
            }
            try:
                answer = session.post(
                    f"{cluster.lb.url}/me/shops/{shop}/reports/new/", data=data, allow_redirects=False, timeout=TIMEOUT
                )
                outcome = Outcome(shop, orders, answer.status_code, answer.headers.get("Location", ""))
            except requests.RequestException as error:
                outcome = Outcome(shop, orders, type(error).__name__)
            with lock:
                outcomes.append(outcome)
                if sum(o.stored for o in outcomes) >= KILL_AFTER:
                    enough.set()

    started = time.monotonic()
    threads = [threading.Thread(target=report, args=(i,), daemon=True) for i in range(len(merchants))]
    for thread in threads:
        thread.start()
    assert enough.wait(timeout=60), f"the merchants did not get {KILL_AFTER} reports through:\n{cluster.logs()}"
    cluster.node_a.kill(signal.SIGKILL)
    with lock:
        answered_before_kill = len(outcomes)
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a client thread hung"
    cluster.timings["reports"] = time.monotonic() - started
    assert len(outcomes) == MERCHANTS * SHOPS_EACH
    assert answered_before_kill < len(outcomes), "node A was killed after the last report: nothing was proven"
    reports_on_a = [line for line in upstream_lines(cluster) if line.startswith("POST") and node_a_addr in line]
    assert reports_on_a, "node A never took a report before it was killed"

    # Every success answer is a stored report; every other answer is an error, never a silent success.
    stored = {o.shop for o in outcomes if o.stored}
    errors = [o for o in outcomes if not o.stored]
    assert all(o.status in (502, 504) or isinstance(o.status, str) for o in errors), errors

    # Sessions survive the loss of a node: the one made on node A works on node B, and through nginx.
    me_on_b = get(on_a, cluster.node_b.url + "/me/")
    assert me_on_b.status_code == 200 and merchants[0]["name"] in me_on_b.text, me_on_b.status_code
    assert get(on_a, cluster.lb.url + "/me/").status_code == 200
    assert requests.get(cluster.lb.url + "/healthz/live", timeout=TIMEOUT).status_code == 200

    # The merchants whose report failed send it again, through nginx (node B alone now).
    retried = {}
    for outcome in errors:
        session = sessions[next(i for i, m in enumerate(merchants) if outcome.shop in m["shops"])]
        page = get(session, f"{cluster.lb.url}/me/shops/{outcome.shop}/")
        answer = session.post(
            f"{cluster.lb.url}/me/shops/{outcome.shop}/reports/new/",
            data={
                "month": f"{month:%Y-%m}",
                "orders": str(outcome.orders),
                "sales": "1234.50",
                "products_sold": "脐橙礼盒",
                "csrfmiddlewaretoken": csrf_token(page.text),
            },
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        # 302: stored now. 400: node A had committed it before it died, and the merchant is told
        # the month is already reported (a duplicate is refused, never stored twice).
        retried[outcome.shop] = answer.status_code
    assert set(retried.values()) <= {302, 400}, retried

    rows = cluster.query(
        "SELECT shop_id, count(*), max(orders) FROM merchants_salesreport WHERE month = %s GROUP BY shop_id", (month,)
    )
    counts = {shop: (n, orders) for shop, n, orders in rows}
    expected = {o.shop: (1, o.orders) for o in outcomes}
    assert counts == expected, {shop: counts.get(shop) for shop in expected if counts.get(shop) != expected[shop]}
    cluster.timings.update(
        reports_answered_before_kill=answered_before_kill,
        errors=len(errors),
        retried_stored=sum(status == 302 for status in retried.values()),
        retried_already_there=sum(status == 400 for status in retried.values()),
    )
    first = {o.shop: o.status for o in errors}
    print(f"two-node drill: {len(stored)} stored at once; errors {first}, answers on retry {retried}")
