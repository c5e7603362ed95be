"""Generated GS1 DataMatrix pack labels, clean and distorted as camera frames, through `decode --pack` and the
camera loop."""

from __future__ import annotations

import argparse
import threading

import cv2
import numpy as np
import pytest

from app.commands import decode as decode_command
from app.scanning.camera import scan_camera
from app.scanning.gs1 import looks_like_pack, parse_gs1
from app.scanning.synthetic import Distortion
from app.settings import ScannerSettings

from .images import card_frame, empty_frame, pack_frame, write_video

PACKS = [
    ("(01)02000002800019(17)270331(10)X123(21)SN0001", ("02000002800019", "X123", "31-03-2027", "SN0001")),
    ("(01)02000002800033(17)261200(10)DEMO-MACWY-02", ("02000002800033", "DEMO-MACWY-02", "31-12-2026", "-")),
    ("(01)02000000900063(10)HPV/77-b(17)280115(21)0000000000000000000A",
     ("02000000900063", "HPV/77-b", "15-01-2028", "0000000000000000000A")),
]


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="prikpost")
    decode_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.mark.parametrize("distortion", [Distortion(), None], ids=["clean", "camera"])
def test_decode_pack_prints_gtin_lot_expiry_and_serial(tmp_path, capsys, distortion):
    paths = []
    for index, (hri, _) in enumerate(PACKS):
        path = tmp_path / f"pack{index}.png"
        frame = pack_frame(hri, seed=index, **({"distortion": distortion} if distortion else {}))
        cv2.imwrite(str(path), frame)
        paths.append(path)
    card = tmp_path / "kaart.png"
    cv2.imwrite(str(card), card_frame("999900183", "DataMatrix"))
    empty = tmp_path / "leeg.png"
    cv2.imwrite(str(empty), empty_frame())
    assert run(["decode", "--pack", *map(str, paths), str(card), str(empty)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"{p.name}\t" + "\t".join(fields) for p, (_, fields) in zip(paths, PACKS, strict=True)] + [
        "kaart.png\t-", "leeg.png\t-"]


def test_most_randomly_distorted_pack_frames_are_read_and_none_misread():
    rng = np.random.default_rng(7)
    read = 0
    from app.scanning.decode import pack_decoder

    decoder = pack_decoder()
    for seed in range(20):
        frame = pack_frame(PACKS[0][0], seed=seed, distortion=Distortion.random(rng))
        texts = [code.text for code in decoder.read_raw(frame)]
        packs = [parse_gs1(text).pack for text in texts if looks_like_pack(text)]
        assert all(pack.lot == "X123" for pack in packs)  # never another lot
        read += bool(packs)
    assert read >= 14, read


def test_the_camera_loop_tells_packs_from_cards_and_counts_each_once(tmp_path):
    plan = [None, "pack", "pack", "pack", None, "card", "card", None, "pack2"]
    images = [empty_frame(i) if item is None else
              pack_frame(PACKS[0][0], seed=i) if item == "pack" else
              pack_frame(PACKS[1][0], seed=i) if item == "pack2" else card_frame("999900183", "Code128", seed=i)
              for i, item in enumerate(plan)]
    video = write_video(tmp_path / "dozen.avi", images)
    now = [0.0]
    new = []
    for index, result in enumerate(scan_camera(ScannerSettings(), threading.Event(), source=str(video),
                                               clock=lambda: now[0])):
        new += [(index, d.bsn or d.text) for d in result.new]
        now[0] += 0.25
    kinds = [(index, "pack" if looks_like_pack(text) else text) for index, text in new]
    assert kinds == [(1, "pack"), (5, "999900183"), (8, "pack")]
    lots = [parse_gs1(text).pack.lot for _, text in new if looks_like_pack(text)]
    assert lots == ["X123", "DEMO-MACWY-02"]
    assert new[0][1].startswith("]d")  # the camera path keeps the symbology identifier a scanner would send


def test_cards_packs_prints_labels_that_decode_pack_reads(tmp_path, capsys):
    """`prikpost cards --packs` → PDF with GS1 DataMatrix labels of the demo lots, one expired."""
    import subprocess

    import pypdf

    from app.commands import cards as cards_command

    parser = argparse.ArgumentParser(prog="prikpost")
    cards_command.register(parser.add_subparsers(dest="command"))
    out = tmp_path / "dozen.pdf"
    args = parser.parse_args(["cards", "--packs", str(out)])
    assert args.func(args) == 0
    text = pypdf.PdfReader(out).pages[0].extract_text()
    assert "DEMO-MACWY-01" in text and "DEMO-MACWY-02" in text and "VERLOPEN" in text
    # The labels' symbols, rendered to pixels, read back with their lots (pdftoppm from poppler-utils).
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(out), str(tmp_path / "page")], check=True)
    (page,) = sorted(tmp_path.glob("page*.png"))
    from app.scanning.decode import decode_pack_file

    lots = sorted(pack.lot for pack in decode_pack_file(page))
    assert {"DEMO-MACWY-01", "DEMO-MACWY-02", "DEMO-MACWY-OLD"} <= set(lots), lots
