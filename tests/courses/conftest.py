import pytest

from tests.pages_factories import course_catalogue, home_page


@pytest.fixture
def home(db):
    return home_page()


@pytest.fixture
def catalogue(home):
    return course_catalogue()
