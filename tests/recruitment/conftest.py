import pytest

from tests.factories import OfficeFactory


@pytest.fixture
def office(db):
    return OfficeFactory()


@pytest.fixture
def office_client(client, office):
    client.force_login(office)
    return client
