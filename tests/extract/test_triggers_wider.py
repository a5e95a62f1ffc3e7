"""Cues beyond exercise news: courses, hand-overs, calls and frameworks (our own sentences)."""

from __future__ import annotations

from datetime import date

import pytest

from defcoop.pipeline import Extractor
from defcoop.records import Report


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor.from_package()


def kinds(extractor: Extractor, text: str) -> list[tuple[str, tuple[str, ...]]]:
    report = Report(id="t", text=text, published=date(2024, 5, 10))
    return [(m.type, m.participants) for m in extractor.extract(report).mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Zambian pilots have started their helicopter training in Botswana this week.",
            ("training", ("BWA", "ZMB")),
        ),
        (
            "About 300 Ecuadorian troops are currently training with the Colombian army.",
            ("training", ("COL", "ECU")),
        ),
        (
            "Spain presented 40 trucks and other equipment to the Mauritanian army on Monday.",
            ("transfer", ("ESP", "MRT")),
        ),
        (
            "Norway is set to transfer six patrol boats to Lithuania next month.",
            ("transfer", ("LTU", "NOR")),
        ),
        (
            "Chile and Peru signed a defence cooperation framework in Lima on Tuesday.",
            ("agreement", ("CHL", "PER")),
        ),
        (
            "The Malian minister and his Senegalese counterpart reviewed border security in Dakar.",
            ("meeting", ("MLI", "SEN")),
        ),
    ],
)
def test_new_cues_open_their_event(
    extractor: Extractor, text: str, expected: tuple[str, tuple[str, ...]]
) -> None:
    assert expected in kinds(extractor, text)


def test_an_order_for_equipment_is_a_contract(extractor: Extractor) -> None:
    found = kinds(extractor, "Uruguay has ordered two offshore patrol vessels from Spain.")
    assert [kind for kind, _ in found] == ["agreement"]


def test_an_export_deal_is_the_signing_not_a_delivery(extractor: Extractor) -> None:
    found = kinds(extractor, "Brazil inked an arms export deal with Nigeria worth $200 million.")
    assert [kind for kind, _ in found] == ["agreement"]


def test_civilian_goods_are_no_arms_transfer(extractor: Extractor) -> None:
    text = "Japan will provide new vehicles and equipment to Kenya's hospitals next year."
    assert kinds(extractor, text) == []


def test_equipment_entering_service_is_a_transfer(extractor: Extractor) -> None:
    text = "Turkish armoured vehicles have entered service with Somalia's army this week."
    assert [kind for kind, _ in kinds(extractor, text)] == ["transfer"]


def test_a_course_completed_beside_an_exercise_is_its_own_event(extractor: Extractor) -> None:
    text = (
        "Before the joint exercise began, Zambian officers who completed the training of "
        "drone crews in Botswana met the commanders."
    )
    assert "training" in [kind for kind, _ in kinds(extractor, text)]


def test_a_handover_ceremony_tells_where_the_goods_were_handed_over(
    extractor: Extractor,
) -> None:
    text = (
        "Poland donated 20 armoured vehicles to the Moldovan army on Tuesday.\n\n"
        "The handover ceremony, held at a barracks near Chisinau, was attended by "
        "officials of both countries."
    )
    report = Report(id="t", text=text, published=date(2024, 5, 10))
    (mention,) = extractor.extract(report).mentions
    assert mention.type == "transfer"
    assert mention.location is not None and mention.location.name == "Chisinau"
    assert len(mention.evidence) == 2


def test_what_a_signed_agreement_provides_for_is_no_transfer(extractor: Extractor) -> None:
    text = (
        "Chile and Peru signed a logistics agreement on Friday that will allow their armies "
        "to supply each other with fuel and ammunition."
    )
    assert kinds(extractor, text) == [("agreement", ("CHL", "PER"))]
    delivered = "Peru delivered ammunition to Chile on Friday under an agreement signed in 2019."
    assert ("transfer", ("CHL", "PER")) in kinds(extractor, delivered)


def test_the_folded_gate_passes_whatever_ignorecase_would_match() -> None:
    from defcoop.extract.triggers import has_any_folded

    assert has_any_folded("held drills", ("drill",))
    assert not has_any_folded("held talks", ("drill",))
    # IGNORECASE matches "dr\u0131ll" and "dr\u0130ll" to "drill"; lower() keeps them apart.
    assert has_any_folded("held dr\u0131lls", ("drill",))
    assert has_any_folded("held DR\u0130LLS".lower(), ("drill",))
    assert has_any_folded("exerci\u017fe", ("exercise",))


def test_asking_others_to_donate_is_no_transfer_and_a_nato_country_no_partner(
    extractor: Extractor,
) -> None:
    asked = "Ukraine keeps urging its partners to\ndonate fighter jets to its air force."
    assert kinds(extractor, asked) == []
    text = (
        "Chilean pilots began helicopter training at Peru's\n"
        "air force academy on Monday, according to the NATO country's ministry."
    )
    report = Report(id="t", text=text, published=date(2024, 5, 10))
    (mention,) = extractor.extract(report).mentions
    assert (mention.type, mention.participants) == ("training", ("CHL", "PER"))
    assert "\n" in mention.evidence[0].text  # the report's own words, line break kept


def test_two_ministers_holding_a_press_conference_met(extractor: Extractor) -> None:
    text = (
        "The Chilean defence minister is on his first official visit to Peru.\n\n"
        "He and Peruvian Defence Minister Ana Ruiz held a press conference in Lima on "
        "May 6, 2024."
    )
    report = Report(id="t", text=text, published=date(2024, 5, 10))
    (mention,) = extractor.extract(report).mentions
    assert (mention.type, mention.participants, mention.start) == (
        "meeting",
        ("CHL", "PER"),
        "2024-05-06",
    )
    assert mention.location is not None and mention.location.country == "PER"


def test_forces_arriving_for_drills_and_goods_that_could_be_supplied_are_no_transfers(
    extractor: Extractor,
) -> None:
    deployed = (
        "Chilean troops and several helicopters that will take part in the joint exercise "
        "with Peru already arrived in the country."
    )
    assert [k for k, _ in kinds(extractor, deployed)] == ["exercise"]
    maybe = "Officials have yet to decide what military equipment could be supplied to Peru."
    assert [k for k, _ in kinds(extractor, maybe)] == []


def test_a_transfer_of_goods_named_at_length_is_a_transfer(extractor: Extractor) -> None:
    text = "Spain will transfer four refurbished Airbus C-295 maritime patrol aircraft to Peru."
    assert kinds(extractor, text) == [("transfer", ("ESP", "PER"))]


def test_a_certain_trigger_word_is_always_a_candidate_trigger() -> None:
    import itertools

    from defcoop.extract.facts import _CERTAIN_TRIGGERS
    from defcoop.extract.triggers import CANDIDATE

    words = "exercise exercises exercised pre-exercise drills drilled training trainings"
    words += " agreement agreements agreement-based the"
    for a, b in itertools.product(words.split(), repeat=2):
        text = f"{a} {b}."
        if any(p.search(text) for p in _CERTAIN_TRIGGERS):
            assert CANDIDATE.search(text), text


def test_a_joint_commission_and_a_phone_conversation_are_meetings(extractor: Extractor) -> None:
    commission = "The Kenya-Uganda joint defence commission convened in Kampala on Monday."
    assert [k for k, _ in kinds(extractor, commission)] == ["meeting"]
    call = "A phone conversation between the Chilean and Peruvian defence ministers took place."
    assert [k for k, _ in kinds(extractor, call)] == ["meeting"]


def test_the_undated_frame_of_another_act_is_no_signing(extractor: Extractor) -> None:
    framed = (
        "The training was conducted in Arica within the framework of a defence education "
        "agreement signed between Chile and Peru."
    )
    assert "agreement" not in [k for k, _ in kinds(extractor, framed)]
    dated = (
        "The training was conducted in Arica within the framework of a defence education "
        "agreement signed between Chile and Peru in March 2019."
    )
    assert "agreement" in [k for k, _ in kinds(extractor, dated)]


def test_a_peace_between_warring_sides_is_no_defence_agreement(extractor: Extractor) -> None:
    text = (
        "The Peruvian army and its troops guarantee the ceasefire agreement signed by the "
        "parties on 21 May 2019, the defence ministry said."
    )
    assert [k for k, _ in kinds(extractor, text)] == []
    deal = "Peru and Chile signed a defence cooperation agreement on 21 May 2019."
    assert [k for k, _ in kinds(extractor, deal)] == ["agreement"]


def test_goods_told_as_ordered_before_their_delivery_are_no_order(extractor: Extractor) -> None:
    text = "Three of the six ordered patrol aircraft have been handed over by Spain to Peru."
    assert [k for k, _ in kinds(extractor, text)] == ["transfer"]
    order = "Peru ordered five patrol aircraft from Spain on Monday."
    assert [k for k, _ in kinds(extractor, order)] == ["agreement"]


def test_an_agenda_of_acts_to_come_tells_none(extractor: Extractor) -> None:
    text = (
        "The Peruvian defence minister identified the main tasks, including joint exercises "
        "with Chile and supplies of Chilean weapons to the Peruvian army."
    )
    assert [k for k, _ in kinds(extractor, text)] == []


def test_practical_exercises_for_trainees_are_a_course(extractor: Extractor) -> None:
    text = (
        "Chilean instructors held practical exercises for Peruvian servicemen in driving and "
        "gunnery at a range near Arica."
    )
    assert [k for k, _ in kinds(extractor, text)] == ["training"]


def test_an_acquisition_and_cross_servicing_agreement_moves_no_goods() -> None:
    text = (
        "Chile and Canada signed an Acquisition and Cross-Servicing Agreement on Monday, "
        "letting their navies share fuel and spare parts for frigates during drills."
    )
    report = Report(id="t", text=text, published=date(2024, 4, 10))
    found = Extractor.from_package().extract(report).mentions
    assert sorted(m.type for m in found) == ["agreement"]


@pytest.mark.parametrize(
    "text",
    [
        "Seven joint drills of the armed forces of Kazakhstan and Kyrgyzstan are planned "
        "for next year.",
        "Mongolian and Indian troops will take part in more than 20 international drills "
        "this year.",
    ],
)
def test_a_tally_of_drills_is_no_single_exercise(text: str) -> None:
    report = Report(id="t", text=text, published=date(2024, 4, 10))
    found = Extractor.from_package().extract(report).mentions
    assert [m.type for m in found if m.type == "exercise"] == []


def test_drills_without_a_tally_are_an_exercise() -> None:
    text = "Kazakhstan and Kyrgyzstan will hold joint drills near Osh in May."
    report = Report(id="t", text=text, published=date(2024, 4, 10))
    found = Extractor.from_package().extract(report).mentions
    assert [m.type for m in found] == ["exercise"]
