from defcoop.extract.names import find_names, name_key

ACTORS = frozenset({"georgian", "turkish", "azerbaijani", "kazakh", "kazakhstan", "kyrgyz"})


def is_actor(word: str) -> bool:
    return word.lower() in ACTORS


def names(text: str) -> list[tuple[str, str | None, int | None]]:
    return [(h.text, h.type, h.year) for h in find_names(text, is_actor)]


def test_names_with_years_dashes_and_numerals() -> None:
    assert names("Troops joined the Steppe Shield - 2023 drills.") == [
        ("Steppe Shield - 2023", None, 2023)
    ]
    assert names("The ANATOLIAN STAR-IX 2024 exercise opened.")[0][0] == "ANATOLIAN STAR-IX 2024"
    assert names("Crews flew in KESTREL-2025.") == [("KESTREL-2025", None, 2025)]
    assert names("The naval drill NORDSEA 24 began.") == [("NORDSEA 24", None, 2024)]


def test_model_numbers_and_dates_are_not_names() -> None:
    assert names("Pilots flew F-16 and MiG-29 jets on September 2021 drills.") == []
    assert names("Over 45 ships took part in joint drills.") == []


def test_agreement_course_and_dubbed_names() -> None:
    found = names("Both sides signed the Tbilisi Declaration on Strategic Partnership.")
    assert found == [("Tbilisi Declaration on Strategic Partnership", "agreement", None)]
    found = names("Officers finished the 27th Term Mountain Commando Course in Isparta.")
    assert found[0][:2] == ("27th Term Mountain Commando Course", "training")
    assert names("A drill dubbed “Silver Steppe” started.")[0][0] == "Silver Steppe"


def test_leading_actor_words_are_trimmed() -> None:
    found = names("The Georgian-Turkish exercise Caspian Wind-2022 ended.")
    assert [f[0] for f in found] == ["Caspian Wind-2022"]


def test_name_key_ignores_case_accents_and_punctuation() -> None:
    assert name_key("TurAz Qartalı") == name_key("Turaz qartali")
    assert name_key("Exercise Shakti") == name_key("SHAKTI")


def test_a_leading_year_belongs_to_the_name() -> None:
    found = names("The 2024 Silver Steppe Kazakh-Kyrgyz joint tactical drills began.")
    assert found == [("2024 Silver Steppe", None, 2024)]
    assert names("In 2024 Kazakh troops joined the drills.") == []


def test_edition_numbers_name_exercises_next_to_the_word() -> None:
    assert names("The air forces held the joint exercise Falcon Strike-4 in May.") == [
        ("Falcon Strike-4", "exercise", None)
    ]
    assert names("The Cedar-9 drills ended.") == [("Cedar-9", "exercise", None)]
    assert names("Crews flew the Su-25 jets.") == []


def test_a_drill_ground_is_a_place_not_a_name() -> None:
    from defcoop.extract.names import find_names

    text = "The units trained at the Koroni drill ground and later held the Sea Shield 2024 drills."
    assert [n.text for n in find_names(text)] == ["Sea Shield 2024"]


def test_a_series_acronym_without_a_year_is_a_name() -> None:
    from defcoop.extract.names import find_names

    text = "The previous edition of SEABRIDGE was held off Mombasa in 2021."
    assert [n.text for n in find_names(text)] == ["SEABRIDGE"]


def test_an_agency_in_capitals_is_no_name() -> None:
    from defcoop.extract.names import find_names

    assert find_names("NAIROBI, May 3 (KENYANEWS) – The drills began.") == []
    text = "Kenyan and Tanzanian sailors began Exercise Sea Bridge (SEABRIDGE) on Monday."
    assert [n.text for n in find_names(text)] == ["Sea Bridge"]


def test_an_acronym_defines_the_words_of_an_agreements_name() -> None:
    from defcoop.extract.names import find_names

    text = "Chile and Peru signed a mutual logistics support arrangement (MLSA) on Friday."
    assert [(n.text, n.type) for n in find_names(text)] == [
        ("mutual logistics support arrangement", "agreement")
    ]
    other = "Chile and Peru signed a logistics arrangement (NATO) on Friday."
    assert find_names(other) == []
    # Only a head word right before the bracket defines a name; its case does not matter.
    assert find_names("Chile and Peru signed it (MLSA) on Friday.") == []
    shouting = "CHILE AND PERU SIGNED A MUTUAL LOGISTICS SUPPORT ARRANGEMENT (MLSA)."
    agreements = [n.text for n in find_names(shouting) if n.type == "agreement"]
    assert agreements == ["MUTUAL LOGISTICS SUPPORT ARRANGEMENT"]


def test_a_framework_is_an_agreements_name() -> None:
    from defcoop.extract.names import find_names

    text = "Ghana and Togo signed a Maritime Security Cooperation Framework in Accra."
    assert [n.text for n in find_names(text)] == ["Maritime Security Cooperation Framework"]


def test_one_exercise_under_several_code_names_is_one_event() -> None:
    from datetime import date

    from defcoop.pipeline import Extractor
    from defcoop.records import Report

    text = (
        "Kazakh and Kyrgyz troops will hold joint exercises from May 2 to 9 under the code "
        'names "Steppe-2024" and "Ridge-2024", the defence ministry said.'
    )
    report = Report(id="t", text=text, published=date(2024, 4, 20))
    found = Extractor.from_package().extract(report).mentions
    assert [(m.type, m.name) for m in found] == [("exercise", "Steppe-2024")]


def test_an_acronym_after_or_defines_a_name_and_minor_words_join_a_title() -> None:
    text = "Chile and Peru signed a mutual logistics support arrangement, or MLSA, on Friday."
    assert names(text) == [("mutual logistics support arrangement", "agreement", None)]
    titled = "The envoys signed the Exchange and Mutual-Support Agreement on Friday."
    assert names(titled) == [("Exchange and Mutual-Support Agreement", "agreement", None)]


def test_an_exercise_named_in_title_case_ending_in_its_head() -> None:
    text = "The inaugural edition of the Andes-Pacific Field Training Exercise (APFTEX) began."
    assert ("Andes-Pacific Field Training Exercise", "exercise", None) in names(text)
    assert names("The Joint Military Exercise began on Monday.") == []


def test_an_exercise_staff_is_no_exercise_name() -> None:
    text = "Planners met at the Exercise Control of the army."
    assert names(text) == []
    assert names("Sailors trained in Exercise Sea Falcon.") == [("Sea Falcon", None, None)]
