from defcoop.nlp.sentences import split_sentences


def test_sentences_keep_offsets_into_the_text() -> None:
    text = (
        "Drills began in Konya.  The troops of Col. Arslan left on Sept. 7, 2021.\nNew line here."
    )
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Drills began in Konya.",
        "The troops of Col. Arslan left on Sept. 7, 2021.",
        "New line here.",
    ]
    for s in sentences:
        assert text[s.start : s.end] == s.text
    assert sentences[2].paragraph == 1


def test_quotes_and_initials_do_not_break_sentences() -> None:
    text = 'He said: "The exercise ended." Then U.S. Marines left. J. Smith stayed.'
    assert [s.text for s in split_sentences(text)] == [
        'He said: "The exercise ended."',
        "Then U.S. Marines left.",
        "J. Smith stayed.",
    ]


def test_an_abbreviation_after_a_long_run_of_letters_and_dots() -> None:
    # The word before the stop is read from the end of a long run, not its tail alone.
    run = "A.B.C.D.E.F.G.H.I.J.K.L.M.N.O.P.Q.R.S.T.U"
    text = f"They met at {run}. Smith then left. It ended."
    assert [s.text for s in split_sentences(text)] == [
        f"They met at {run}. Smith then left.",
        "It ended.",
    ]


def test_a_sentence_broken_over_lines_is_one_sentence() -> None:
    text = (
        "The first group of Chilean\npilots has started its training at Peru's\n"
        "main air base this week.\nA headline without a stop\nThe next sentence."
    )
    found = [s.text for s in split_sentences(text)]
    assert found == [
        "The first group of Chilean\npilots has started its training at Peru's\n"
        "main air base this week.",
        "A headline without a stop",
        "The next sentence.",
    ]
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


def test_a_line_cut_after_a_months_abbreviation_goes_on() -> None:
    text = "Troops arrived on Sept.\n\n7, a day before the drill.\n\nIt ended today."
    assert [s.text for s in split_sentences(text)] == [
        "Troops arrived on Sept.\n\n7, a day before the drill.",
        "It ended today.",
    ]


def test_a_line_cut_mid_sentence_joins_whatever_spaces_end_it() -> None:
    text = (
        "The drills began on Sept.   \n7, with pilots of the two air forces at    \n"
        "the base.\nA new line."
    )
    assert [s.text.split()[-1] for s in split_sentences(text)] == ["base.", "line."]


def test_stops_inside_a_short_name_in_guillemets_do_not_end_a_sentence() -> None:
    text = "Drills «Thunder. Shield. Storm» began today. They end on Friday."
    assert [s.text for s in split_sentences(text)] == [
        "Drills «Thunder. Shield. Storm» began today.",
        "They end on Friday.",
    ]
