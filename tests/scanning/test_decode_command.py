"""`prikpost decode FILE...` on generated PNG files of each symbology."""

from __future__ import annotations

import argparse

import cv2
import pytest

from app.commands import decode as decode_command
from app.scanning.symbologies import ALL

from .images import card_frame, empty_frame

BSNS = ["999900183", "999901473", "999902003", "111222333", "123456782", "012345672"]


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="prikpost")
    decode_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def images(tmp_path):
    paths = []
    for index, (symbology, bsn) in enumerate(zip(ALL, BSNS, strict=True)):
        path = tmp_path / f"{index}_{symbology}.png"
        cv2.imwrite(str(path), card_frame(bsn, symbology, seed=index))
        paths.append(path)
    return paths


def test_prints_one_line_per_image_with_the_bsn(images, capsys):
    assert run(["decode", *map(str, images)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [f"{path.name}\t{bsn}" for path, bsn in zip(images, BSNS, strict=True)]


def test_prints_a_dash_when_no_bsn_is_found(tmp_path, capsys):
    path = tmp_path / "leeg.png"
    cv2.imwrite(str(path), empty_frame())
    assert run(["decode", str(path)]) == 0
    assert capsys.readouterr().out == "leeg.png\t-\n"


def test_unreadable_file_gives_exit_1_after_the_rest(images, tmp_path, capsys):
    broken = tmp_path / "kapot.jpg"
    broken.write_bytes(b"\xff\xd8 niet af")
    assert run(["decode", str(broken), str(images[0]), str(tmp_path / "weg.png")]) == 1
    captured = capsys.readouterr()
    assert captured.out == f"{images[0].name}\t{BSNS[0]}\n"
    assert "kapot.jpg" in captured.err and "weg.png" in captured.err
    assert captured.err.count("Fout:") == 2
