"""A demo session of a fictional school with children in every state, for newcomers and tests."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, datetime, time, timedelta

from app.domain.errors import DomainError
from app.domain.insz import make_insz
from app.domain.lots import Lot, LotList
from app.domain.person_id import Receiver
from app.domain.professional import missing_for_messages
from app.domain.registration import ObjectionReason
from app.domain.session import Mode, Organisation, OrgIdKind, SessionSetup, SessionVaccine
from app.domain.wording import dutch_date

from . import accord as accord_service
from . import actions, scans
from .base import ServiceContext
from .expected_list import ExpectedChild
from .lots import replace_lot_list
from .session_start import start_session
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

# The Flemish demo: a CLB (centrum voor leerlingenbegeleiding) vaccinates the first year of a secondary school
# against HPV and hepatitis B; children are known by INSZ. The KBO number is fictional but passes mod 97.
DEMO_CLB = Organisation("CLB Demo Gent (fictief)", OrgIdKind.KBO, "0899999949")
DEMO_FLEMISH_SCHOOL = "Demo-atheneum De Linde, Gent (fictief)"
DEMO_FLEMISH_VACCINES = (("09", "DEMO-HPV-11"), ("05", "DEMO-HEPB-04"))
_GIVEN_FLEMISH = ["Lotte", "Arthur", "Marie", "Noah", "Elena", "Jules", "Olivia", "Louis", "Nora", "Mats",
                  "Fien", "Vic", "Lore", "Warre", "Hanne", "Lander", "Ines", "Seppe", "Amber", "Kobe"]
_FAMILY_FLEMISH = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
                   "De Smet", "Dubois", "Lambrechts", "Vermeulen", "Van Damme", "De Clercq", "Verstraete"]
_POSTCODES_FLEMISH = ["9000", "9030", "9040", "9050", "9000"]


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


def demo_insz_children(n: int = 30, today: date | None = None) -> list[ExpectedChild]:
    """Return n fictional Flemish children of about 12 years with valid (made-up) INSZ numbers, in three classes.

    Birth dates cycle through one year and the serial counts up per cycle, so every number differs; odd serials
    are boys and even ones girls, as in the rijksregister.
    """
    today = today or date.today()
    first_day = date(today.year - 13, 1, 1)
    children = []
    for index in range(n):
        born = first_day + timedelta(days=index % 365)
        serial = 2 * (index // 365) + (1 if index % 2 else 2) + 100  # 101.. boys odd, 102.. girls even
        given = _GIVEN_FLEMISH[index % len(_GIVEN_FLEMISH)]
        family = _FAMILY_FLEMISH[(index * 7) % len(_FAMILY_FLEMISH)]
        children.append(ExpectedChild(make_insz(born, serial), f"{given} {family}", born, "M" if serial % 2 else "F",
                                      _POSTCODES_FLEMISH[index % len(_POSTCODES_FLEMISH)],
                                      f"1{'ABC'[index % 3]}"))
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
        Lot("DEMO-HEPB-04", "05", today + timedelta(days=250), "Engerix-B Junior (demo)"),
    )
    start = datetime.combine(today, time(0, 0))
    return LotList(start, start + timedelta(days=1, seconds=-1), lots, received_at)


def _csv(children: list[ExpectedChild], number: str = "BSN") -> bytes:
    lines = [f"{number};Naam;Geboortedatum;Geslacht;Postcode;Klas"]
    lines += [f"{c.bsn};{c.name};{dutch_date(c.birth_date)};{'V' if c.sex == 'F' else 'M'};{c.postcode};{c.group_name}"
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


# The Flemish demo's child whom Vaccinnet does not know yet ("De zorgvrager is niet teruggevonden in Vaccinnet"):
# the stand-in refuses a person with this serial once, as if the service desk then created them.
DEMO_UNKNOWN_SERIAL = 997


def demo_unknown_person(today: date) -> ExpectedChild:
    """Return the Flemish demo child unknown to Vaccinnet at first (an INSZ with serial DEMO_UNKNOWN_SERIAL)."""
    born = date(today.year - 13, 6, 15)
    return ExpectedChild(make_insz(born, DEMO_UNKNOWN_SERIAL), "Zoë Nieuwkomer (fictief)", born, "M", "9000", "1A")


def seed_demo(sc: ServiceContext, n_children: int = 30, receiver: Receiver = Receiver.PRAEVENTIS) -> int:
    """Create the demo session with children in every state; return its id.

    For Vaccinnet: a Flemish session of a CLB whose children are known by INSZ, one of whom Vaccinnet does not
    know yet (demo_unknown_person) and is among the accorded children.
    """
    check_demo_size(n_children)
    today = sc.now().date()
    replace_lot_list(sc, demo_lot_list(today, sc.now()), source="demo")
    flemish = receiver is Receiver.VACCINNET
    organisation, school, vaccines = ((DEMO_CLB, DEMO_FLEMISH_SCHOOL, DEMO_FLEMISH_VACCINES) if flemish
                                      else (DEMO_ORGANISATION, DEMO_SCHOOL, DEMO_VACCINES))
    setup = SessionSetup(today, organisation, school, "18", Mode.BEFORE,
                         tuple(SessionVaccine(code, lot) for code, lot in vaccines), receiver)
    if flemish:
        children = demo_insz_children(n_children - 1, today)
        children.insert(0, demo_unknown_person(today))
    else:
        children = demo_children(n_children, today)
    session_id = start_session(sc, setup, _csv(children, receiver.id_kind.label), source="demo",
                               is_demo=True).session_id
    # Roughly: a third waits to be scanned, the others show every state a nurse will meet.
    # The Flemish demo accords half its children, so a large one needs more than one BatchUpload (≤ 500 persons).
    cut = n_children // 2 if flemish else n_children // 3
    accorded = [scans.record_scan(sc, session_id, c.bsn) for c in children[:cut]]
    accord_service.accord(_demo_accorder(sc), session_id, [i for o in accorded for i in o.registration_ids])
    removed = scans.record_scan(sc, session_id, children[cut].bsn)
    actions.remove(sc, session_id, removed.registration_ids, "Afwezig (ziek)")
    objection = scans.record_scan(sc, session_id, children[cut + 1].bsn)
    actions.register_objection(sc, session_id, objection.registration_ids, ObjectionReason.DECLINED)
    for child in children[cut + 2: max(cut + 2, (2 * n_children) // 3)]:
        scans.record_scan(sc, session_id, child.bsn)
    stranger_born = date(today.year - (13 if flemish else 14), 6, 1)
    stranger = make_insz(stranger_born, 998) if flemish else stranger_bsn(children)
    scans.record_scan(sc, session_id, stranger, source="manual", name="Onverwacht Kind (fictief)",
                      birth_date=stranger_born)
    return session_id

