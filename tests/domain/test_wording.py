import errno

import pytest

from app.domain.wording import count_noun, os_reason


@pytest.mark.parametrize("count,expected", [(0, "0 kinderen"), (1, "1 kind"), (2, "2 kinderen"), (30, "30 kinderen")])
def test_count_noun_uses_the_singular_only_for_one(count, expected):
    assert count_noun(count, "kind", "kinderen") == expected


@pytest.mark.parametrize("error,expected", [
    (FileNotFoundError(errno.ENOENT, "No such file or directory"), "het bestand of de map bestaat niet"),
    (PermissionError(errno.EACCES, "Permission denied"), "geen toestemming om dit bestand te openen"),
    (IsADirectoryError(errno.EISDIR, "Is a directory"), "dit is een map, geen bestand"),
    (OSError(errno.ENOSPC, "No space left on device"), "de schijf is vol"),
    (OSError(errno.EIO, "Input/output error"), "Input/output error"),  # rare: the system's own words
    (OSError("zonder nummer"), "zonder nummer"),
])
def test_os_reason_is_dutch_for_the_common_errors(error, expected):
    assert os_reason(error) == expected


def test_a_real_missing_file_gets_the_dutch_reason(tmp_path):
    with pytest.raises(OSError) as raised:
        (tmp_path / "weg.csv").read_bytes()
    assert os_reason(raised.value) == "het bestand of de map bestaat niet"
