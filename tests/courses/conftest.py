import pytest

from tests.courses.factories import make_catalogue, make_home


@pytest.fixture
def home(db):
    return make_home()


@pytest.fixture
def catalogue(home):
    return make_catalogue(home)
