"""A demo session of a fictional school with children in every state, for newcomers and tests."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, datetime, time, timedelta

from app.domain.errors import DomainError
from app.domain.lots import Lot, LotList
from app.domain.professional import missing_for_messages
from app.domain.registration import ObjectionReason
from app.domain.session import Mode, Organisation, OrgIdKind, SessionSetup, SessionVaccine

from . import accord as accord_service
from . import actions, scans
from .base import ServiceContext
from .expected_list import ExpectedChild, import_expected_list
from .lots import replace_lot_list
from .sessions import create_session
from .users import DEMO_BIG, DEMO_DISPLAY_NAME, DEMO_ROLE_CODE, DEMO_UZI

DEMO_SCHOOL = "Demo-college De Linde (fictief)"
DEMO_ORGANISATION = Organisation("JGZ Demoregio (fictief)", OrgIdKind.URA, "99999999")
DEMO_VACCINES = (("28", "DEMO-MACWY-01"), ("02", "DEMO-DTP-07"))

_GIVEN = ["Sanne", "Daan", "Noor", "Sem", "Emma", "Lucas", "Julia", "Finn", "Tess", "Milan", "Zoë", "Levi",
          "Fleur", "Bram", "Lotte", "Jesse", "Sara", "Thijs", "Eva", "Ruben", "Isa", "Mohammed", "Yara",
          "Ahmet", "Anouk", "Luuk", "Femke", "Stijn", "Maud", "Joris"]
_FAMILY = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
           "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer", "de Wit",
           "Dijkstra", "Smits", "el Amrani", "Yılmaz", "van der Linden", "Kok", "Jacobs", "Willems",
           "van Leeuwen", "Schouten", "Öztürk", "Verbeek"]
_POSTCODES = ["3511 AB", "3512 CD", "3521 EF", "3531 GH", "3541 JK"]


# Demo and test BSNs stay in 900000000-999999999; a call may ask for at most this many at once.
FICTIONAL_LOW = 900_000_000
FICTIONAL_HIGH = 999_999_999
MAX_DEMO_BSNS = 1_000_000
MIN_DEMO_CHILDREN = 8  # one child in every state the demo shows
MAX_DEMO_CHILDREN = 5_000
_WEIGHTS = tuple(range(9, 1, -1))


def _with_check_digit(prefix: int) -> int | None:
    """Return the BSN that starts with these eight digits, or None when no ninth digit passes the elfproef."""
    # 9·d1 + … + 2·d8 − d9 ≡ 0 (mod 11) leaves exactly one d9 modulo 11; it is a digit unless it is 10.
    check = sum(int(d) * w for d, w in zip(f"{prefix:08d}", _WEIGHTS, strict=True)) % 11
    return prefix * 10 + check if check <= 9 else None


def demo_bsns(count: int, start: int = 999_990_000) -> list[str]:
    """Return `count` distinct BSNs in the demo range that pass the elfproef, from `start` upwards.

    Past 999999999 the numbers continue downwards from just below `start`, so a large count never runs
    out of nine-digit numbers; the first numbers stay the same whatever the count.
    """
    if not FICTIONAL_LOW <= start <= FICTIONAL_HIGH:
        raise DomainError(f"Het startnummer van fictieve BSN's moet tussen {FICTIONAL_LOW} en {FICTIONAL_HIGH} "
                          f"liggen, niet {start}.")
    if not 0 <= count <= MAX_DEMO_BSNS:
        raise DomainError(f"Kies een aantal fictieve BSN's van 0 tot en met {MAX_DEMO_BSNS:_}, niet {count}."
                          .replace("_", "."))
    found: list[str] = []
    first = start // 10
    prefixes = (range(first, FICTIONAL_HIGH // 10 + 1), range(first, FICTIONAL_LOW // 10 - 1, -1))
    for upwards, span in zip((True, False), prefixes, strict=True):
        for prefix in span:
            if len(found) == count:
                return found
            number = _with_check_digit(prefix)
            if number is not None and (number >= start) == upwards:
                found.append(f"{number:09d}")
    if len(found) < count:
        raise DomainError(f"Vanaf {start} zijn er maar {len(found)} fictieve BSN's te maken, geen {count}.")
    return found


def demo_children(n: int = 30, today: date | None = None) -> list[ExpectedChild]:
    """Return n fictional children of about 14 years, spread over three classes."""
    today = today or date.today()
    rng = random.Random(20261123)
    children = []
    for index, bsn in enumerate(demo_bsns(n)):
        given = _GIVEN[index % len(_GIVEN)]
        family = _FAMILY[(index * 7) % len(_FAMILY)]
        born = date(today.year - 14, 1, 1) + timedelta(days=rng.randrange(0, 365))
        sex = "F" if index % 2 == 0 else "M"
        children.append(ExpectedChild(bsn, f"{given} {family}", born, sex, _POSTCODES[index % len(_POSTCODES)],
                                      f"2{'ABC'[index % 3]}"))
    return children


def demo_lot_list(today: date, received_at: datetime) -> LotList:
    """Return a lot list with valid lots of the demo vaccines, one expired lot and a few others."""
    lots = (
        Lot("DEMO-MACWY-01", "28", today + timedelta(days=200), "Nimenrix (demo)"),
        Lot("DEMO-MACWY-02", "28", today + timedelta(days=30), "MenQuadfi (demo)"),
        Lot("DEMO-MACWY-OLD", "28", today - timedelta(days=3), "Nimenrix (demo, verlopen)"),
        Lot("DEMO-DTP-07", "02", today + timedelta(days=400), "Revaxis (demo)"),
        Lot("DEMO-HPV-11", "09", today + timedelta(days=300), "Cervarix (demo)"),
        Lot("DEMO-BMR-03", "04", today + timedelta(days=90), "M-M-RvaxPro (demo)"),
    )
    start = datetime.combine(today, time(0, 0))
    return LotList(start, start + timedelta(days=1, seconds=-1), lots, received_at)


def _csv(children: list[ExpectedChild]) -> bytes:
    lines = ["BSN;Naam;Geboortedatum;Geslacht;Postcode;Klas"]
    lines += [f"{c.bsn};{c.name};{c.birth_date:%d-%m-%Y};{'V' if c.sex == 'F' else 'M'};{c.postcode};{c.group_name}"
              for c in children]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def stranger_bsn(children: list[ExpectedChild]) -> str:
    """Return a demo BSN that is not on the demo list, for the child who turns up unexpected."""
    stranger = demo_bsns(1, start=999_980_000)[0]
    if stranger in {child.bsn for child in children}:  # a large demo reaches down to this range
        stranger = demo_bsns(len(children) + 1)[-1]
    return stranger


def check_demo_size(n_children: int) -> None:
    """Refuse a number of demo children the demo cannot show, with a Dutch message."""
    if not MIN_DEMO_CHILDREN <= n_children <= MAX_DEMO_CHILDREN:
        raise DomainError(f"Een demosessie heeft {MIN_DEMO_CHILDREN} tot en met {MAX_DEMO_CHILDREN} kinderen "
                          f"(één in elke toestand), niet {n_children}.")


def _demo_accorder(sc: ServiceContext) -> ServiceContext:
    """Accord the fictional children as the fictional demo professional when the user cannot be named in messages."""
    who = sc.identity
    if who is None or not missing_for_messages(who.display_name, who.uzi_number, who.agb_code, who.role_code):
        return sc
    return dataclasses.replace(sc, identity=dataclasses.replace(
        who, display_name=DEMO_DISPLAY_NAME, big_number=DEMO_BIG, agb_code="", uzi_number=DEMO_UZI,
        role_code=DEMO_ROLE_CODE))


def seed_demo(sc: ServiceContext, n_children: int = 30) -> int:
    """Create the demo session with children in every state; return its id."""
    check_demo_size(n_children)
    today = sc.now().date()
    replace_lot_list(sc, demo_lot_list(today, sc.now()), source="demo")
    setup = SessionSetup(today, DEMO_ORGANISATION, DEMO_SCHOOL, "18", Mode.BEFORE,
                         tuple(SessionVaccine(code, lot) for code, lot in DEMO_VACCINES))
    session_id = create_session(sc, setup, is_demo=True)
    children = demo_children(n_children, today)
    import_expected_list(sc, session_id, _csv(children), source="demo")
    # Roughly: a third waits to be scanned, the others show every state a nurse will meet.
    accorded = [scans.record_scan(sc, session_id, c.bsn) for c in children[: n_children // 3]]
    accord_service.accord(_demo_accorder(sc), session_id, [i for o in accorded for i in o.registration_ids])
    removed = scans.record_scan(sc, session_id, children[n_children // 3].bsn)
    actions.remove(sc, session_id, removed.registration_ids, "Afwezig (ziek)")
    objection = scans.record_scan(sc, session_id, children[n_children // 3 + 1].bsn)
    actions.register_objection(sc, session_id, objection.registration_ids, ObjectionReason.DECLINED)
    for child in children[n_children // 3 + 2: (2 * n_children) // 3]:
        scans.record_scan(sc, session_id, child.bsn)
    scans.record_scan(sc, session_id, stranger_bsn(children), source="manual", name="Onverwacht Kind (fictief)",
                      birth_date=date(today.year - 14, 6, 1))
    return session_id

