"""Decode frames and image files with zxing-cpp first and pyzbar second, restricted to the set symbologies."""

from __future__ import annotations

import sys

import cv2
import numpy as np
import pytest

from app.scanning import engines
from app.scanning.decode import FrameDecoder, ImageUnreadable, decode_file
from app.scanning.engines import PYZBAR_MISSING, PyzbarEngine
from app.scanning.symbologies import ALL, configured

from .images import card_frame, empty_frame

BSN = "999900183"


@pytest.mark.parametrize("symbology", ALL)
def test_each_symbology_is_decoded_with_its_outline(symbology):
    detections = FrameDecoder().decode(card_frame(BSN, symbology))
    assert [(d.bsn, d.symbology) for d in detections] == [(BSN, symbology)]
    xs, ys = zip(*detections[0].corners, strict=True)
    assert 0 <= min(xs) < max(xs) <= 1280 and 0 <= min(ys) < max(ys) <= 720


def test_decoding_is_restricted_to_the_configured_symbologies():
    assert FrameDecoder(["Code128"]).decode(card_frame(BSN, "QRCode")) == []
    assert FrameDecoder(["Code128"]).decode(card_frame(BSN, "Code39")) == []
    assert FrameDecoder(["QRCode"]).decode(card_frame(BSN, "QRCode"))[0].bsn == BSN


def test_unknown_symbology_names_fall_back_to_all():
    assert configured(["Aztec"]) == ALL
    assert configured(["ITF", "Bogus"]) == ("ITF",)


@pytest.mark.parametrize("symbology", ["Code128", "Code39", "ITF", "QRCode"])
def test_pyzbar_reads_what_it_supports(symbology):
    codes = PyzbarEngine(ALL).read(cv2.cvtColor(card_frame(BSN, symbology), cv2.COLOR_BGR2GRAY))
    assert (symbology, "pyzbar") in {(c.symbology, c.engine) for c in codes}
    assert any(BSN in c.text for c in codes)


def test_pieces_of_an_itf_code_are_dropped():
    # zbar reports "09999001" and "099990" beside the whole ITF code; a piece could pass the elfproef.
    decoder = FrameDecoder(second_engine=True)
    decoder.zxing.read = lambda gray: []  # force the pyzbar path
    assert [d.text for d in decoder.decode(card_frame(BSN, "ITF"))] == ["0" + BSN]


def test_pyzbar_is_not_asked_for_data_matrix_or_pdf417():
    assert PyzbarEngine(("DataMatrix", "PDF417")).available is False


def test_the_second_engine_only_runs_when_zxing_finds_nothing():
    decoder = FrameDecoder()
    assert {d.engine for d in decoder.decode(card_frame(BSN, "Code128"))} == {"zxing-cpp"}
    assert decoder.decode(empty_frame()) == []


@pytest.fixture
def no_zbar(monkeypatch):
    """Make `from pyzbar import pyzbar` fail as it does when libzbar is not installed."""
    monkeypatch.setitem(sys.modules, "pyzbar", None)
    monkeypatch.setitem(sys.modules, "pyzbar.pyzbar", None)
    engines.load_pyzbar.cache_clear()
    yield
    engines.load_pyzbar.cache_clear()


def test_missing_zbar_degrades_to_zxing_with_a_dutch_notice(no_zbar):
    decoder = FrameDecoder()
    assert decoder.warning == PYZBAR_MISSING
    assert "zbar" in decoder.warning
    assert decoder.decode(card_frame(BSN, "Code128"))[0].bsn == BSN
    assert decoder.decode(empty_frame()) == []


def test_decode_file_reads_png(tmp_path):
    path = tmp_path / "kaart.png"
    cv2.imwrite(str(path), card_frame(BSN, "DataMatrix"))
    assert decode_file(path) == BSN


def test_decode_file_without_a_bsn_returns_none(tmp_path):
    path = tmp_path / "leeg.png"
    cv2.imwrite(str(path), empty_frame())
    assert decode_file(path) is None


@pytest.mark.parametrize("content", [None, b"", b"geen plaatje"])
def test_decode_file_raises_in_dutch_when_unreadable(tmp_path, content):
    path = tmp_path / "kapot.png"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ImageUnreadable) as caught:
        decode_file(path)
    assert "kapot.png" in caught.value.message


def test_grayscale_and_bgra_frames_are_accepted():
    frame = card_frame(BSN, "QRCode")
    gray = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    bgra = cv2.cvtColor(frame, cv2.COLOR_BGR2BGRA)
    assert FrameDecoder().decode(gray)[0].bsn == BSN
    assert FrameDecoder().decode(np.ascontiguousarray(bgra))[0].bsn == BSN


def test_a_card_held_upright_is_read_by_the_second_engine():
    # The zxing-cpp pass skips 90° turns to stay fast; zbar scans both directions.
    frame = cv2.rotate(card_frame(BSN, "Code128"), cv2.ROTATE_90_CLOCKWISE)
    assert [d.bsn for d in FrameDecoder().decode(frame)] == [BSN]


def test_a_strongly_tilted_pdf417_is_read_on_a_turned_copy():
    from app.scanning.synthetic import Distortion

    frame = card_frame(BSN, "PDF417", distortion=Distortion(angle=19, blur_sigma=0.4, jpeg_quality=80))
    detections = FrameDecoder().decode(frame)
    assert [d.bsn for d in detections] == [BSN]
    xs, ys = zip(*detections[0].corners, strict=True)
    assert 0 <= min(xs) < max(xs) <= 1280 and 0 <= min(ys) < max(ys) <= 720
