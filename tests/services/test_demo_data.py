"""Demo BSNs and demo sizes: many distinct valid numbers, fast, and a clear refusal beyond the limits."""

import pytest

from app.domain.bsn import elfproef
from app.domain.errors import DomainError
from app.services.demo import (
    MAX_DEMO_BSNS,
    MAX_DEMO_CHILDREN,
    demo_bsns,
    demo_children,
    seed_demo,
    stranger_bsn,
)


def brute_force(count: int, start: int) -> list[str]:
    """The first `count` numbers from `start` upwards that pass the elfproef, tried one by one."""
    found, number = [], start
    while len(found) < count and number <= 999_999_999:
        if elfproef(f"{number:09d}"):
            found.append(f"{number:09d}")
        number += 1
    return found


def test_100000_demo_bsns_are_distinct_valid_and_nine_digits():
    bsns = demo_bsns(100_000)
    assert len(bsns) == len(set(bsns)) == 100_000
    assert all(len(bsn) == 9 and elfproef(bsn) for bsn in bsns)
    assert all(bsn.startswith("9") for bsn in bsns)


@pytest.mark.parametrize("start", [999_990_000, 999_980_000, 999_970_000, 900_000_000])
def test_the_first_numbers_are_the_ones_counted_upwards_from_start(start):
    expected = brute_force(1000, start)
    assert demo_bsns(len(expected), start) == expected


def test_past_999999999_the_numbers_continue_below_start():
    upwards = brute_force(10_000, 999_990_000)  # every valid number up to 999999999: fewer than 1,000
    assert len(upwards) < 1000
    bsns = demo_bsns(2000)
    assert bsns[:len(upwards)] == upwards
    below = bsns[len(upwards):]
    assert all(int(bsn) < 999_990_000 for bsn in below) and below == sorted(below, reverse=True)
    at_the_top = [f"{n:09d}" for n in range(999_999_999, 999_998_000, -1) if elfproef(f"{n:09d}")][:3]
    assert demo_bsns(3, start=999_999_999) == at_the_top


@pytest.mark.parametrize("count,start,fragment", [
    (MAX_DEMO_BSNS + 1, 999_990_000, "0 tot en met 1.000.000"),
    (-1, 999_990_000, "0 tot en met 1.000.000"),
    (5, 123_456_782, "tussen 900000000 en 999999999 liggen, niet 123456782"),
])
def test_impossible_requests_get_a_dutch_error(count, start, fragment):
    with pytest.raises(DomainError) as error:
        demo_bsns(count, start)
    assert fragment in error.value.message


def test_large_demo_list_keeps_the_unexpected_child_off_the_list():
    children = demo_children(2000)
    assert stranger_bsn(children) not in {child.bsn for child in children}
    assert stranger_bsn(demo_children(30)) == demo_bsns(1, start=999_980_000)[0]  # small demos as before


@pytest.mark.parametrize("n", [7, 0, -3, MAX_DEMO_CHILDREN + 1])
def test_seed_demo_refuses_a_size_it_cannot_show(sc, n):
    with pytest.raises(DomainError, match=f"8 tot en met {MAX_DEMO_CHILDREN} kinderen"):
        seed_demo(sc, n)
