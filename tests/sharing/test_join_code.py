"""The join code round-trips as text (typed with the usual slips) and as a QR code through the camera's decoder."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.scanning.decode import FrameDecoder
from app.sharing import join_code
from app.sharing.join_code import JoinCode, JoinCodeInvalid, parse


def _code(host: str = "192.168.43.17", port: int = 54321) -> JoinCode:
    return JoinCode(host, port, bytes(range(16)), bytes(range(100, 112)))


def test_text_round_trips_and_forgives_case_spaces_and_look_alikes():
    code = _code()
    text = code.text()
    assert text.startswith("PRIK-") and parse(text) == code
    typed = text.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert parse(typed) == code


@given(host=st.ip_addresses().map(str) | st.from_regex(r"[a-z][a-z0-9.-]{0,40}", fullmatch=True),
       port=st.integers(1, 65535), pin=st.binary(min_size=16, max_size=16), secret=st.binary(min_size=1, max_size=40),
       names=st.none() | st.tuples(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20)))
def test_any_code_round_trips(host, port, pin, secret, names):
    code = JoinCode(host, port, pin, secret, *(names or ()))
    assert parse(code.text()) == code


def test_a_mistyped_character_is_caught_not_misread():
    text = _code().text()
    position = len("PRIK-") + 7
    for replacement in "0123456789ABCDEFGHJKMNPQRSTVWXYZ":
        if replacement == text[position]:
            continue
        with pytest.raises(JoinCodeInvalid, match="De code klopt niet"):
            parse(text[:position] + replacement + text[position + 1:])


@pytest.mark.parametrize("text, words", [("", "begint met PRIK"), ("123456782", "begint met PRIK"),
                                         ("PRIK-", "klopt niet"), ("PRIK-UUUU", "klopt niet")])
def test_what_is_no_code_is_refused_in_dutch(text, words):
    with pytest.raises(JoinCodeInvalid, match=words):
        parse(text)


def test_the_code_never_shows_its_secret_when_printed():
    code = _code()
    assert code.password not in repr(code) and code.password not in str(code)
    assert "192.168.43.17:54321" in str(code)


def test_the_qr_code_reads_back_through_the_camera_decoder():
    code = _code()
    image = join_code.qr_image(code)
    # As a camera sees a screen: on a grey background, a bit smaller, blurred.
    frame = np.full((720, 1280), 190, np.uint8)
    small = cv2.resize(image, None, fx=0.8, fy=0.8, interpolation=cv2.INTER_AREA)
    frame[100:100 + small.shape[0], 300:300 + small.shape[1]] = small
    frame = cv2.GaussianBlur(frame, (3, 3), 0)
    texts = [raw.text for raw in FrameDecoder().read_raw(frame)]
    assert len(texts) == 1
    assert parse(texts[0]) == code
