import pytest

from app.domain.wording import count_noun


@pytest.mark.parametrize("count,expected", [(0, "0 kinderen"), (1, "1 kind"), (2, "2 kinderen"), (30, "30 kinderen")])
def test_count_noun_uses_the_singular_only_for_one(count, expected):
    assert count_noun(count, "kind", "kinderen") == expected
