import io

import pytest

from django.core.management import call_command

from core.models import ProductCategory, Township, User, Village

pytestmark = pytest.mark.django_db


def counts():
    from wagtail.models import Page

    return (
        User.objects.count(),
        Township.objects.count(),
        Village.objects.count(),
        ProductCategory.objects.count(),
        Page.objects.count(),
    )


def test_seed_demo_builds_a_county_and_running_it_twice_creates_nothing_twice(demo_county, client):
    first = counts()  # after the first seed_demo, the shared demo county's
    assert Township.objects.count() == 30
    assert Village.objects.count() == 60
    for email in [
        "office@demo.local",
        "mentor@demo.local",
        "trainee@demo.local",
        "merchant@demo.local",
        "admin@demo.local",
    ]:
        assert User.objects.filter(email=email).exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    assert client.get("/").status_code == 200
    response = client.post("/accounts/login/", {"login": "trainee@demo.local", "password": "incubator-demo"})
    assert response.status_code == 302, response.content.decode()[-3000:]
