"""One BatchUpload request from per-child KMEHR messages, and reading Vaccinnet's answers strictly."""

import json
from datetime import datetime

import pytest

from app.outbox.errors import MessageError
from app.outbox.kmehr import MAX_PERSONS, build_kmehr_for, merge_messages, patient_number, sender_key
from app.outbox.schemas import schema_errors
from app.outbox.vaccinnet_sender import HttpAnswer, http_error_text, person_outcome, read_result, read_ticket

from .conftest import MESSAGE_ID, insz, make_facts, person, vaccination

K = {"k": "http://www.ehealth.fgov.be/standards/kmehr/schema/v1"}
SOFTWARE = "acme_prikpost_ggdzeeland_9000"
NOW = datetime(2024, 3, 5, 21, 30, 15)


def child_message(number: str, *vaccinations, message_id: str = MESSAGE_ID, **changes):
    return build_kmehr_for(make_facts(*vaccinations, bsn=number, message_id=message_id, **changes), SOFTWARE)


def test_merged_batch_has_one_folder_per_person_renumbered_with_a_new_header(schema):
    parts = [child_message(insz(1), message_id="m1"),
             child_message(insz(2), vaccination("28", "MEN1"), message_id="m2"),
             child_message(insz(1), vaccination("02", "D7"), message_id="m3")]  # the first person again
    batch = merge_messages(parts, "batch42", NOW)
    assert schema_errors(schema("KMEHR"), batch) == []
    folders = batch.findall("k:folder", K)
    assert [folder.findtext("k:id", namespaces=K) for folder in folders] == ["1", "2"]
    assert [patient_number(folder) for folder in folders] == [insz(1), insz(2)]
    first = folders[0].findall("k:transaction", K)
    assert [t.findtext("k:id", namespaces=K) for t in first] == ["1", "2"]
    assert [t.findtext(".//k:batch", namespaces=K) for t in first] == ["AB123", "D7"]
    header = batch.find("k:header", K)
    assert header.findtext("k:id", namespaces=K) == f"{SOFTWARE}.batch42"
    assert (header.findtext("k:date", namespaces=K), header.findtext("k:time", namespaces=K)) == ("2024-03-05",
                                                                                                  "21:30:15")
    # The per-child messages are left as they were stored.
    assert parts[2].find("k:folder/k:transaction/k:id", K).text == "1"
    assert parts[0].find("k:header/k:id", K).text == f"{SOFTWARE}.m1"


def test_a_merged_batch_never_holds_more_persons_than_vaccinnet_accepts():
    parts = [build_kmehr_for(make_facts(message_id=f"m{n}", **person(n)), SOFTWARE) for n in range(MAX_PERSONS + 1)]
    assert len(merge_messages(parts[:MAX_PERSONS], "b", NOW).findall("k:folder", K)) == MAX_PERSONS
    with pytest.raises(MessageError, match="hoogstens 500"):
        merge_messages(parts, "b", NOW)


def test_messages_of_different_senders_do_not_share_a_batch():
    one = child_message(insz(1))
    same = child_message(insz(2), message_id="m2")
    other = child_message(insz(3), organisation_name="Andere JGZ")
    assert sender_key(one) == sender_key(same) != sender_key(other)


def answer(data, status: int = 200) -> HttpAnswer:
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return HttpAnswer(status, body, "OK" if status < 400 else "Not Found")


def test_a_submit_answer_must_carry_a_usable_ticket_for_all_persons():
    assert read_ticket(answer({"ticket": "abc123", "persons": 3}), 3) == "abc123"
    assert read_ticket(answer({"ticket": "abc123"}), 3) == "abc123"
    for wrong in ({"ticket": "../x"}, {"ticket": ""}, {"persons": 3}, {"ticket": "abc", "persons": 2}, ["abc"]):
        with pytest.raises(MessageError):
            read_ticket(answer(wrong), 3)
    with pytest.raises(MessageError, match="geen leesbare JSON"):
        read_ticket(answer(b"<html>oeps</html>"), 3)


@pytest.mark.parametrize("data", [
    {"ticket": "t1", "status": "done"},
    {"ticket": "t1", "status": "done", "persons": []},
    {"ticket": "t1", "status": "done", "persons": [{"person": "1", "status": 3}]},
    {"ticket": "t1", "status": "done", "persons": [{"status": "OK"}]},
    {"ticket": "t1", "status": "vreemd", "persons": [{"person": "1", "status": "OK"}]},
    {"ticket": "t2", "status": "done", "persons": [{"person": "1", "status": "OK"}]},
    {"ticket": "t1"},
])
def test_an_unclear_result_is_never_read_as_a_success(data):
    with pytest.raises(MessageError):
        read_result(answer(data), "t1")


def test_a_result_not_yet_processed_is_recognised():
    assert not read_result(answer({"ticket": "t1", "status": "processing"}), "t1").processed


def test_person_outcomes_follow_vaccinnet_per_person():
    result = read_result(answer({"ticket": "t1", "status": "done", "persons": [
        {"person": "1", "status": "OK", "text": ""},
        {"person": "2", "status": "NOT_FOUND", "text": "De persoon werd niet gevonden in Vaccinnet."},
        {"person": "3", "status": "REFUSED", "text": ""}]}), "t1")
    assert person_outcome(10, "t1", result.persons["1"]).result == "acknowledged"
    refused = person_outcome(11, "t1", result.persons["2"])
    assert (refused.result, refused.text) == ("refused", "De persoon werd niet gevonden in Vaccinnet.")
    assert json.loads(refused.answer)["persons"] == result.persons["2"]  # only this person's part is kept
    assert person_outcome(12, "t1", result.persons["3"]).text == "Vaccinnet weigerde de registratie (status REFUSED)."
    assert person_outcome(13, "t1", []).result == "failed"  # not in the result: no success


def test_http_error_texts_keep_vaccinnets_words_or_the_firewall_support_id():
    assert http_error_text(answer({"error": "Onbekend ticket 'x'."}, 404), "de vraag naar ticket x") == (
        "Vaccinnet weigerde de vraag naar ticket x (HTTP 404): Onbekend ticket 'x'.")
    firewall = HttpAnswer(403, b"<html>Request Rejected. Your support ID is: 1234567890123</html>", "Forbidden")
    assert "support ID 1234567890123" in http_error_text(firewall, "de aanvraag")
    assert http_error_text(HttpAnswer(503, b"", "Service Unavailable"), "de aanvraag") == (
        "Vaccinnet antwoordde op de aanvraag met HTTP-fout 503 (Service Unavailable).")
