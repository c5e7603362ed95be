"""Every kind of REPC_IN002140NL the app can produce, as message facts: shared by the XSD and schematron tests."""

from __future__ import annotations

from .conftest import make_facts, vaccination

SCENARIOS = {
    "one vaccine": make_facts(vaccination("09")),
    "two vaccines": make_facts(vaccination("28", "MEN01"), vaccination("02", "DTP77")),
    "medical objection": make_facts(vaccination("09", reason="1")),
    "declined participation": make_facts(vaccination("28", reason="2")),
    "objection to one vaccine beside a given one": make_facts(vaccination("28", reason="2"),
                                                              vaccination("02", "DTP77")),
    "'overig' lot": make_facts(vaccination("09", "NIEUW-77X")),
    "bsn with leading zero": make_facts(bsn="012345672"),
    "name with a prefix": make_facts(name="Daan van der Berg"),
    "name with a double family name": make_facts(name="Sanne Bakker-de Wit"),
    "one-word name": make_facts(name="Yılmaz"),
    "special characters": make_facts(name="Zoë-Chloé O'Brien & <Ünal> \"ß\"", location="School 't Kofschip & Co <3>",
                                     organisation_name="GGD Zeeland & Brabant \"Zuid\""),
    "organisation by URA": make_facts(organisation_id_kind="URA", organisation_id="00012345"),
    "organisation by AGB": make_facts(organisation_id_kind="AGB", organisation_id="12345678"),
    "unknown sex, no postcode": make_facts(sex="", postcode=""),
    "child that came without an expected list": make_facts(name="Noah Jansen", sex="", postcode=""),
    "demo session": make_facts(is_demo=True),
    "accorded by a professional with a UZI number": make_facts(accorded_by_name="Anna de Jong",
                                                              accorded_by_uzi="123456782", accorded_by_agb=""),
    "accorded by a professional with an AGB code": make_facts(accorded_by_name="Piet van der Berg",
                                                            accorded_by_uzi="", accorded_by_agb="01234567",
                                                            accorded_by_role="01.070"),
    "accorded with UZI, AGB and BIG, objection": make_facts(vaccination("09", reason="2"), accorded_by_name="Zoë Ünal",
                                                           accorded_by_big="12345678901",
                                                           accorded_by_agb="01234567"),
    "correction (a new message id for the same child)": make_facts(
        vaccination("09", "AB124"), message_id="7c7c7c7c-2222-4c2a-9d3e-123456789abc"),
    "activity 22, on indication": make_facts(activity_code="22"),
    "activity outside the list (nullFlavor OTH)": make_facts(activity_code="OTH"),
}

# The 2020 list of activities: a setting chooses it; its codes are refused under the 2012 list.
SCENARIOS_2020 = {
    "activity 41 from the 2020 list": make_facts(activity_code="41"),
}

