from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from defcoop.records import Evidence, Location, Mention
from defcoop.resolve.clusters import cluster_mentions
from defcoop.resolve.matching import blocking_keys, key_year, meets, same_event

KONYA = Location("Konya", "TUR", 37.87, 32.48, "geonames:306571")
BAKU = Location("Baku", "AZE", 40.38, 49.89, "geonames:587084")


def mention(doc: str, **fields: object) -> Mention:
    base: dict[str, object] = {
        "doc": doc,
        "type": "exercise",
        "name": None,
        "participants": ("AZE", "TUR"),
        "location": None,
        "start": None,
        "end": None,
        "status": "ongoing",
        "evidence": (Evidence("A sentence.", 0, 11),),
        "published": date(2022, 9, 5),
    }
    base.update(fields)
    return Mention(**base)  # type: ignore[arg-type]


def test_spellings_of_one_named_edition_match() -> None:
    a = mention("r1", name="EFES-2022", start="2022-05-09")
    b = mention("r2", name="Efes 2022", start="2022-06-07")
    assert same_event(a, b)
    assert not same_event(a, mention("r3", name="EFES-2024", start="2024-05-20"))


def test_series_head_word_links_translated_names_but_not_other_exercises() -> None:
    a = mention("r1", name="KazUz Falcon - 2022", start="2022-09-05")
    b = mention("r2", name="KazUz Kartal-2022", start="2022-09-05")
    c = mention("r3", name="Steppe Star-2022", start="2022-09-05")
    d = mention("r4", name="Steppe Wind-2022", start="2022-09-05")
    assert same_event(a, b)
    assert not same_event(a, c)
    assert not same_event(c, d)


def test_unnamed_events_need_close_dates_and_a_compatible_place() -> None:
    a = mention("r1", start="2021-09-06", location=KONYA)
    assert same_event(a, mention("r2", start="2021-09-07", location=KONYA))
    assert not same_event(a, mention("r3", start="2021-09-07", location=BAKU))
    assert not same_event(a, mention("r4", start="2021-11-20", location=KONYA))
    assert not same_event(a, mention("r5", start="2021", location=KONYA))


def test_one_report_never_matches_itself_and_types_must_agree() -> None:
    a = mention("r1", start="2021-09-06")
    assert not same_event(a, mention("r1", start="2021-09-06"))
    assert not same_event(a, mention("r2", type="meeting", start="2021-09-06"))


def test_agreements_known_only_by_year_match_on_the_same_partners() -> None:
    a = mention("r1", type="agreement", start="1992")
    assert same_event(a, mention("r2", type="agreement", start="1992"))
    assert not same_event(a, mention("r3", type="agreement", start="1992", participants=("AZE",)))


def meet(a: Mention, b: Mention) -> bool:
    """Whether resolution compares two mentions: a key of one meets a key of the other."""
    theirs = set(blocking_keys(b))
    return any(met in theirs for key in blocking_keys(a) for met in meets(key))


def test_blocking_keys_cover_name_head_tail_and_partners_by_week() -> None:
    keys = blocking_keys(mention("r1", name="KazUz Falcon - 2022", start="2022-09-05"))
    assert "exercise|name|kazuz|2022" in keys and "exercise|series|kazuzf|2022" in keys
    assert "exercise|tail|falcon|2022|AZE" in keys
    week = date(2022, 9, 5).toordinal() // 7
    assert f"exercise|2022|{week}|AZE+TUR" in keys and f"exercise|2022|{week}|TUR~few" in keys
    # An agreement's name is restated undated for years: its name keys carry no year.
    signed = blocking_keys(mention("r2", type="agreement", name="Kars Accord", start="2019"))
    assert "agreement|series|karsac" in signed and "agreement|2019|AZE+TUR" in signed


def test_pairs_of_one_busy_country_never_meet_but_its_lone_mentions_do() -> None:
    day = "2022-09-05"
    with_georgia = mention("r1", start=day, participants=("GEO", "TUR"))
    with_iran = mention("r2", start=day, participants=("IRN", "TUR"))
    turkey_alone = mention("r3", start=day, participants=("TUR",))
    trio = mention("r4", start=day, participants=("AZE", "GEO", "TUR"))
    assert not meet(with_georgia, with_iran) and not meet(with_iran, with_georgia)
    assert meet(with_georgia, trio) and meet(trio, with_georgia)
    for other in (with_georgia, with_iran, trio, mention("r5", start=day, participants=("TUR",))):
        assert meet(turkey_alone, other) and meet(other, turkey_alone)
    assert not meet(with_iran, trio)
    many = ("ARM", "AZE", "GEO", "IRN", "RUS", "TUR")
    drill = mention("r6", start=day, participants=many)
    assert len(blocking_keys(drill)) <= 2 * len(many)  # a pair each would be 15 a week
    for other in (with_iran, trio, turkey_alone, mention("r7", start=day, participants=many)):
        assert meet(drill, other) and meet(other, drill)
    assert not meet(drill, mention("r8", start=day, participants=("FRA", "ITA")))
    assert meets("exercise|2022|1|TUR~few") == ("exercise|2022|1|TUR~any",)
    assert meets("exercise|2022|1|GEO+TUR") == ("exercise|2022|1|GEO+TUR",)


def test_date_keys_stop_growing_with_the_store() -> None:
    """A year of weekly meetings of one pair: each meeting meets a few weeks' worth."""
    first = date(2023, 1, 2)
    meetings = [
        mention(f"r{i}", type="meeting", start=(first + timedelta(days=i)).isoformat())
        for i in range(365)
    ]
    holders: dict[str, int] = {}
    for m in meetings:
        for key in blocking_keys(m):
            holders[key] = holders.get(key, 0) + 1
    assert max(holders.values()) <= 2 * 7  # a week's meetings, and the next week's
    for m in meetings[:30]:
        near = {o.doc for o in meetings if meet(m, o)}
        assert {o.doc for o in meetings if same_event(m, o)} <= near
        assert len(near) < 20


_DAYS = st.integers(min_value=0, max_value=80)
_VALUES = st.one_of(
    st.none(),
    st.just("2022"),
    st.sampled_from(["2021-12", "2022-01", "2022-02"]),
    _DAYS.map(lambda n: (date(2021, 12, 10) + timedelta(days=n)).isoformat()),
)
_MENTIONS = st.builds(
    lambda doc, kind, name, pair, start, end, status, background, day: mention(
        doc,
        type=kind,
        name=name,
        participants=pair,
        start=start,
        end=end,
        status=status,
        background=background,
        published=date(2021, 12, 10) + timedelta(days=day),
    ),
    st.sampled_from(["r1", "r2", "r3"]),
    st.sampled_from(["exercise", "training", "agreement", "meeting", "transfer"]),
    st.sampled_from(
        [None, None, "Winter Shield 2022", "Joint Winter Shield-2022", "Kars Accord", "KarsAz"]
    ),
    st.sampled_from(
        [
            ("AZE", "TUR"),
            ("AZE",),
            ("GEO", "TUR"),
            ("AZE", "GEO", "TUR"),
            ("AZE", "GEO", "IRN", "RUS", "TUR"),
            ("AZE", "GEO", "IRN", "RUS", "TUR", "ARM"),
            ("AZE", "TUR", "AZE"),
        ]
    ),
    _VALUES,
    _VALUES,
    st.sampled_from(["completed", "planned"]),
    st.booleans(),
    _DAYS,
)


@settings(max_examples=3000, deadline=None)
@given(_MENTIONS, _MENTIONS)
def test_keys_pick_every_pair_that_may_match_within_a_year_and_no_other_year(
    a: Mention, b: Mention
) -> None:
    """Keys lose no pair of one key year and a partner in common, and never cross years.

    A bulk load resolves each (type, key year) apart (`bulk.parts`): only an undated
    agreement's name may reach across years.
    """
    shared = meet(a, b)
    assert shared == meet(b, a)
    year = key_year(a)
    if same_event(a, b) and year is not None and year == key_year(b):
        assert shared or not set(a.participants) & set(b.participants)
    if shared and key_year(a) != key_year(b):
        assert a.type == b.type == "agreement" and a.name and b.name


def test_clusters_do_not_depend_on_order() -> None:
    items = [
        mention("r1", name="KazUz Falcon - 2022", start="2022-09-05"),
        mention("r2", start="2022-09-05", location=KONYA),
        mention("r3", name="KazUz Kartal-2022", start="2022-09-06"),
        mention("r4", start="2021-03-01", location=BAKU),
        mention("r5", start="2021-03-02", location=BAKU),
    ]

    def partition(ms: list[Mention]) -> set[frozenset[str]]:
        groups: dict[str, set[str]] = {}
        for m in cluster_mentions(ms):
            assert m.event_id
            groups.setdefault(m.event_id, set()).add(m.doc)
        return {frozenset(g) for g in groups.values()}

    forward = partition(items)
    assert forward == partition(list(reversed(items)))
    assert frozenset({"r4", "r5"}) in forward
    assert any({"r1", "r3"} <= g for g in forward)


def test_undated_news_matches_the_report_that_gives_its_day() -> None:
    undated = mention("r1", type="meeting", published=date(2022, 6, 9), status="completed")
    dated = mention("r2", type="meeting", start="2022-06-07", published=date(2022, 6, 7))
    assert same_event(undated, dated) and same_event(dated, undated)
    assert meet(undated, dated)
    # A day a month before the report is another meeting; so is any day for old news.
    assert not same_event(undated, mention("r3", type="meeting", start="2022-05-02"))
    background = mention("r4", type="meeting", published=date(2022, 6, 9), background=True)
    assert not same_event(background, dated)


def test_undated_news_meets_every_day_it_may_tell_of() -> None:
    told = date(2022, 6, 9)
    for status, days in (("completed", range(-14, 1)), ("planned", range(0, 61))):
        undated = mention("r1", type="transfer", published=told, status=status)
        for n in days:
            day = (told + timedelta(days=n)).isoformat()
            dated = mention("r2", type="transfer", start=day, status=status)
            assert same_event(undated, dated)
            assert meet(undated, dated), (status, day)


def test_undated_news_of_drills_or_of_a_coming_act_matches_carefully() -> None:
    undated = mention("r1", published=date(2021, 9, 12))
    assert not same_event(undated, mention("r2", start="2021-09-10"))  # drills: many at once
    coming = mention("r3", type="transfer", published=date(2024, 3, 1), status="planned")
    assert same_event(coming, mention("r4", type="transfer", start="2024-03-18"))
    assert not same_event(coming, mention("r5", type="transfer", start="2024-02-20"))


def test_news_at_the_edges_of_the_calendar_matches_without_overflow() -> None:
    first = mention("r1", type="meeting", published=date(1, 1, 1), status="completed")
    last = mention("r2", type="meeting", published=date(9999, 12, 31), status="planned")
    assert not same_event(first, mention("r3", type="meeting", start="2022-06-07"))
    assert blocking_keys(first) and blocking_keys(last)
    assert not same_event(last, mention("r4", type="meeting", start="2022-06-07"))
