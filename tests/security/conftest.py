from tests.support.fixtures import as_persona, world  # noqa: F401
