"""The service tests run on both stores: a SQLite file and a real PostgreSQL server."""

import pytest

from tests.conftest import BACKENDS


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param
