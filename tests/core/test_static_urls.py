"""core.storage.StaticFilesStorage: WhiteNoise's manifest storage, each URL looked up once per
process (production's STORAGES["staticfiles"])."""

import json

import pytest

from core.storage import StaticFilesStorage
from tests.support.production import shell_output


@pytest.fixture
def storage(tmp_path):
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"css/site.css": "css/site.0123abcd.css"}, "version": "1.1", "hash": "x"})
    )
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_production_serves_static_files_through_it():
    code = "from django.core.files.storage import storages; s = storages['staticfiles']; print(type(s).__module__, type(s).__name__)"
    assert shell_output(code) == "core.storage StaticFilesStorage"


def test_a_url_is_the_manifests_hashed_name_looked_up_once(storage, monkeypatch):
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    looked_up = []
    monkeypatch.setattr(storage, "stored_name", lambda name: looked_up.append(name) or "elsewhere.css")
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert looked_up == [], "the second call reads the kept URL"
    assert storage.url("css/site.css", force=True) == "/static/elsewhere.css", "force looks it up"


def test_a_name_missing_from_the_manifest_raises_every_time(storage, settings):
    settings.DEBUG = False
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("css/missing.css")
    assert "css/missing.css" not in storage._urls
