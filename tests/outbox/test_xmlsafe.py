"""Hostile or broken XML gives a clear MessageError, never a crash or an expanded entity."""

import pytest

from app.outbox.errors import MessageError
from app.outbox.hl7.mcci import parse_acknowledgement
from app.outbox.hl7.prmm import parse_lot_list
from app.outbox.xmlsafe import child, parse_xml

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<MCCI_IN000002 xmlns="urn:hl7-org:v3"><id root="&lol2;"/></MCCI_IN000002>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<MCCI_IN000002 xmlns="urn:hl7-org:v3"><id root="&xxe;"/></MCCI_IN000002>"""


@pytest.mark.parametrize("hostile", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entities_are_refused_with_a_dutch_message(hostile):
    with pytest.raises(MessageError, match="DOCTYPE of entiteiten"):
        parse_acknowledgement(hostile)


@pytest.mark.parametrize("broken", ["", "   ", "<a><b></a>", "geen xml", "\x00\x01"])
def test_broken_xml_is_a_message_error(broken):
    with pytest.raises(MessageError):
        parse_lot_list(broken)


def test_a_huge_document_is_refused_before_parsing():
    with pytest.raises(MessageError, match="te groot"):
        parse_xml("<a>" + "x" * 6_000_000 + "</a>")


def test_text_with_an_encoding_declaration_is_read():
    root = parse_xml('<?xml version="1.0" encoding="ISO-8859-1"?><a><b>é</b></a>')
    assert child(root, "b").text == "é"


def test_an_unreadable_answer_is_told_in_dutch_and_lxmls_words_go_to_the_log(caplog):
    with pytest.raises(MessageError) as refused:
        parse_xml("<MCCI_IN000002 xmlns='urn:hl7-org:v3'><acknowledgement typeCode=\"CA\"><targ", "antwoord")
    assert refused.value.message.startswith("Het antwoord is geen leesbare XML: het is afgebroken of beschadigd")
    assert "regel 1" in refused.value.message and "Couldn't" not in refused.value.message
    assert any("Couldn't find end of Start Tag" in record.getMessage() for record in caplog.records)


def test_a_broken_schema_file_is_told_in_dutch(tmp_path, caplog):
    from app.outbox.schemas import load_schema

    broken = tmp_path / "REPC_IN002140NL.xsd"
    broken.write_text("<xs:schema xmlns:xs='http://www.w3.org/2001/XMLSchema'><xs:element name=", encoding="utf-8")
    with pytest.raises(MessageError) as refused:
        load_schema(broken)
    assert "kon niet worden geladen" in refused.value.message and "schemamap" in refused.value.message
    assert "line" not in refused.value.message and any("not loaded" in r.getMessage() for r in caplog.records)
