from datetime import date

from defcoop.records import Evidence, Location, Mention
from defcoop.resolve.clusters import cluster_mentions
from defcoop.resolve.matching import blocking_keys, same_event

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


def test_blocking_keys_cover_name_head_and_partners_by_year() -> None:
    keys = blocking_keys(mention("r1", name="KazUz Falcon - 2022", start="2022-09-05"))
    assert "exercise|name|kazuz" in keys
    assert "exercise|2022|AZE" in keys and "exercise|2022|TUR" in keys


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
    assert set(blocking_keys(undated)) & set(blocking_keys(dated))
    # A day a month before the report is another meeting; so is any day for old news.
    assert not same_event(undated, mention("r3", type="meeting", start="2022-05-02"))
    background = mention("r4", type="meeting", published=date(2022, 6, 9), background=True)
    assert not same_event(background, dated)


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
