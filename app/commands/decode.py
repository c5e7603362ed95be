"""`prikpost decode FILE...`: print the BSN found in each image file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.domain.wording import dutch_date
from app.scanning.decode import FrameDecoder, ImageUnreadable, decode_file, decode_pack_file, pack_decoder
from app.settings import Settings, default_settings_path


def register(subparsers) -> None:
    parser = subparsers.add_parser("decode", help="lees het BSN uit de barcode op afbeeldingen",
                                   description="Print per afbeelding de bestandsnaam, een tab en het gevonden BSN "
                                               "(of '-' als er geen geldig BSN in staat).")
    parser.add_argument("files", nargs="+", type=Path, metavar="BESTAND", help="afbeelding(en): PNG, JPEG, ...")
    parser.add_argument("--pack", action="store_true",
                        help="lees de GS1-code van een vaccinverpakking: per afbeelding bestand, GTIN, partij, "
                             "houdbaarheidsdatum (dd-mm-jjjj) en serienummer, gescheiden door tabs (of '-')")
    parser.set_defaults(func=run)


def run_packs(args: argparse.Namespace) -> int:
    decoder = pack_decoder()
    exit_code = 0
    for path in args.files:
        try:
            packs = decode_pack_file(path, decoder)
        except ImageUnreadable as error:
            print(f"Fout: {error.message}", file=sys.stderr)
            exit_code = 1
            continue
        if not packs:
            print(f"{path.name}\t-", flush=True)
        for pack in packs:
            expiry = f"{dutch_date(pack.expiry)}" if pack.expiry else "-"
            print(f"{path.name}\t{pack.gtin}\t{pack.lot or '-'}\t{expiry}\t{pack.serial or '-'}", flush=True)
    return exit_code


def run(args: argparse.Namespace) -> int:
    if args.pack:
        return run_packs(args)
    scanner = Settings.load(default_settings_path()).scanner
    decoder = FrameDecoder.from_settings(scanner)
    if decoder.warning:
        print(f"Let op: {decoder.warning}", file=sys.stderr)
    exit_code = 0
    for path in args.files:
        try:
            bsn = decode_file(path, decoder)
        except ImageUnreadable as error:
            print(f"Fout: {error.message}", file=sys.stderr)
            exit_code = 1
            continue
        print(f"{path.name}\t{bsn or '-'}", flush=True)
    return exit_code
