"""The log file: rotated and private, and after fuzzing imports, scans and sends it holds no BSN in any
form, no scanned text and no child's name."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.__main__ import setup_logging, teardown_logging
from app.domain.bsn import format_bsn, redact_bsns
from app.logfile import PrivateFormatter, PrivateRotatingFileHandler
from app.outbox.encoding import make_encoder
from app.outbox.receiver.faults import Faults
from app.outbox.sender import send_now
from app.services import accord as accord_service
from app.services.demo import demo_bsns
from app.services.expected_list import import_expected_list
from app.services.scans import register_scanned_text
from app.settings import OutboxSettings
from tests.organisation import configured, configured_settings

BSNS = demo_bsns(12, start=999_960_000)
NAMES = [f"Zwaantje{index} Vlietstra" for index in range(len(BSNS))]


def forms(bsn: str) -> list[str]:
    """Return the ways a BSN can be written: plain, with a leading zero, grouped by dots or spaces."""
    return [bsn, "0" + bsn, format_bsn(bsn), format_bsn(bsn).replace(".", " "),
            f"{bsn[:3]} {bsn[3:6]} {bsn[6:]}", f"{bsn[:3]}.{bsn[3:6]}.{bsn[6:]}"]


def test_every_form_of_a_bsn_is_masked():
    for bsn in BSNS:
        for form in forms(bsn) + ([bsn.lstrip("0")] if bsn.startswith("0") else []):
            line = redact_bsns(f"kind {form}, poging 3")
            assert form not in line and line.endswith(f"******{bsn[-3:]}, poging 3")


def test_the_log_rotates_and_every_file_is_private(tmp_path):
    path = tmp_path / "prikpost.log"
    handler = PrivateRotatingFileHandler(path, max_bytes=10_000, backups=2)
    handler.setFormatter(PrivateFormatter("%(message)s"))
    logger = logging.getLogger("test.rotation")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for index in range(2_000):
            logger.warning("regel %d %s", index, "x" * 50)
    finally:
        logger.removeHandler(handler)
        handler.close()
    files = sorted(tmp_path.glob("prikpost.log*"))
    assert [file.name for file in files] == ["prikpost.log", "prikpost.log.1", "prikpost.log.2"]
    assert all(file.stat().st_size <= 10_000 for file in files)
    assert all(stat.S_IMODE(file.stat().st_mode) == 0o600 for file in files)


FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])
CELL = st.text(alphabet=st.characters(blacklist_characters=';\r\n"', blacklist_categories=("Cs",)), max_size=12)


def test_after_fuzzing_imports_scans_and_sends_the_log_holds_no_bsn_scan_text_or_name(sc, session_id,
                                                                                       start_receiver):
    handlers = setup_logging(verbose=True)  # DEBUG: the most the log file ever gets
    log_path = Path(os.environ["PRIKPOST_DATA_DIR"]) / "prikpost.log"
    scanned: list[str] = []
    try:
        _fuzz(sc, session_id, scanned)
        sc.encoder, sc.message_kind = make_encoder(configured_settings(), sc.catalogue)
        _complete_unexpected_children(sc, session_id)  # the message needs name and birth date
        accord_service.accord(sc, session_id)
        receiver = start_receiver(Faults(reject_bsns=set(BSNS[:4]), malformed_rate=0.3, seed=3))
        send_now(sc, configured(OutboxSettings(url_acceptatie=receiver.url())))
        logging.getLogger("app.test").error("falen met %r", BSNS[0], exc_info=ValueError(f"kind {BSNS[1]}"))
    finally:
        teardown_logging(handlers)
    text = log_path.read_text(encoding="utf-8")
    assert "ALERT" in text or "refused" in text or "scan" in text  # the run did log
    leaked = [form for bsn in BSNS for form in forms(bsn) if form in text]
    assert not leaked
    assert not [scan for scan in scanned if len(scan) >= 12 and scan in text]
    assert not [name for name in NAMES if name in text or name.split()[0] in text]


def _complete_unexpected_children(sc, session_id) -> None:
    from datetime import date

    from sqlalchemy import or_, select

    from app.services.child_details import ChildDetails, complete_child
    from app.store.models import ChildRow

    with sc.db.reader() as session:
        bsns = list(session.scalars(select(ChildRow.bsn).where(
            ChildRow.session_id == session_id, or_(ChildRow.name == "", ChildRow.birth_date.is_(None)))))
    for bsn in bsns:
        complete_child(sc, session_id, bsn, ChildDetails("Kind Zonder Lijst", date(2012, 2, 1), "", ""))


def _fuzz(sc, session_id, scanned: list[str]) -> None:
    @FUZZ
    @given(rows=st.lists(st.tuples(st.sampled_from(range(len(BSNS))), CELL, CELL), max_size=6),
           scans=st.lists(st.tuples(st.sampled_from(range(len(BSNS))), st.sampled_from(range(6)), CELL), max_size=4))
    def run(rows, scans):
        lines = ["BSN;Naam;Geboortedatum;Geslacht;Postcode;Klas"]
        for index, date_cell, group in rows:  # names in the date column too: a bad row must not log them
            lines.append(f"{BSNS[index]};{NAMES[index]};{date_cell or '01-02-2012'};V;3511AB;{group}")
            lines.append(f"{forms(BSNS[index])[1]};{NAMES[index]};{NAMES[index]};V;3511AB;{group}")
        import_expected_list(sc, session_id, "\n".join(lines).encode("utf-8"), source="fuzz")
        for index, form, junk in scans:
            text = f"{junk}{forms(BSNS[index])[form]}{junk}"
            scanned.append(text)
            register_scanned_text(sc, session_id, text)
            register_scanned_text(sc, session_id, BSNS[index])

    run()
