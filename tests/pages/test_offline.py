"""Install and offline support: the manifest, the service worker at the site root, the offline
page, robots.txt, and what every page carries for them."""

import json
import shutil
import subprocess

import pytest
from PIL import Image

from django.contrib.staticfiles import finders
from django.templatetags.static import static

from tests.factories import UserFactory


@pytest.mark.django_db
def test_service_worker_is_served_from_the_root_with_the_shell_to_store(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    precache = json.loads(script.split("const PRECACHE = ", 1)[1].split(";\n", 1)[0])
    assert precache == ["/offline/", static("css/site.css"), static("js/app.js"), static("img/icon.svg")]
    assert 'const QUEUE_FIELD = "offline_queue";' in script
    assert 'const LOGIN_PATH = "/accounts/login/";' in script


@pytest.mark.skipif(not shutil.which("node"), reason="Node.js is not installed")
def test_service_worker_and_page_script_are_valid_javascript(client, tmp_path):
    script = tmp_path / "sw.js"
    script.write_bytes(client.get("/sw.js").content)
    for path in (script, finders.find("js/app.js")):
        result = subprocess.run(["node", "--check", str(path)], capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_manifest_names_the_site_in_the_persons_language_with_icons_that_exist(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/manifest.webmanifest")
    assert response["Content-Type"].startswith("application/manifest+json")
    data = json.loads(response.content)
    assert data["name"] == "县域电商孵化平台"
    assert data["lang"] == "zh-hans"
    assert (data["start_url"], data["scope"], data["display"]) == ("/", "/", "standalone")
    sizes = {}
    for icon in data["icons"]:
        found = finders.find(icon["src"].removeprefix("/static/"))
        assert found, f"{icon['src']} does not exist"
        if icon["type"] == "image/png":
            with Image.open(found) as image:
                sizes[icon["purpose"], icon["sizes"]] = "x".join(map(str, image.size))
    assert sizes == {("any", "192x192"): "192x192", ("any", "512x512"): "512x512", ("maskable", "512x512"): "512x512"}

    client.cookies["incubator_language"] = "en"
    assert json.loads(client.get("/manifest.webmanifest").content)["name"] == "County E-commerce Incubator"


@pytest.mark.django_db
def test_offline_page_names_nobody_and_reads_nothing_of_its_own(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        client.get("/offline/")
    client.force_login(UserFactory(real_name="王小红"))
    # Signed in: only the person (read by the language middleware on every page) with their roles
    # (the navigation; never cached, issue 13), in one query; the session comes from the cache.
    with django_assert_num_queries(1):
        response = client.get("/offline/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>您已离线</h1>" in html
    assert "测验答案和实操任务需要联网" in html
    assert "王小红" not in html and "退出" not in html
    assert "data-offline-list" in html


def test_robots_txt_keeps_crawlers_out_of_personal_areas(client):
    body = client.get("/robots.txt").content.decode()
    assert "Disallow: /me/" in body and "Disallow: /admin/" in body and "Disallow: /mentor/" in body


@pytest.mark.django_db
def test_every_page_links_the_manifest_the_worker_and_one_deferred_script(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans" data-sw="/sw.js">' in html
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert f'<script src="{static("js/app.js")}" defer></script>' in html
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    assert 'id="offline-note" class="offline-note" role="status" hidden' in html


@pytest.mark.django_db
def test_sign_out_form_asks_the_script_to_forget_stored_pages(client):
    client.force_login(UserFactory())
    html = client.get("/me/").content.decode()
    assert 'class="inline-form" data-offline-forget>' in html
