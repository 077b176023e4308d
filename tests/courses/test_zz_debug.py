import pytest
from tests.courses.test_queries import grow
from tests.factories import TraineeFactory
pytestmark = pytest.mark.django_db

def test_debug(client, catalogue):
    t = TraineeFactory()
    client.force_login(t)
    grow(catalogue, t, courses=1, lessons=2)
    page = client.get("/courses/").content.decode()
    i = page.find('course-card')
    print(page[i:i+1500])
    page = client.get("/").content.decode()
    i = page.find('<main')
    print(page[i:i+1500])
