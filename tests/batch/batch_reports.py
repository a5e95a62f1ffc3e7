"""Short reports written for the batch tests, and the shard files made of them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

REPORTS: list[dict[str, str]] = [
    {
        "id": "batch-geo-arm-drill",
        "published": "2021-05-04",
        "source": "Test Wire",
        "text": (
            "Georgian and Armenian mountain troops started a joint tactical exercise near "
            "Gudauri on Monday, the Georgian Defence Ministry said. The exercise will last "
            "until May 14."
        ),
    },
    {
        "id": "batch-pol-ltu-agreement",
        "published": "2021-11-19",
        "source": "Test Wire",
        "text": (
            "Poland and Lithuania signed a defence cooperation agreement in Vilnius on "
            "Thursday, the two defence ministers said after their meeting."
        ),
    },
    {
        "id": "batch-kaz-uzb-course",
        "published": "2022-02-08",
        "source": "Test Wire",
        "text": (
            "Twenty Uzbek officers will attend a sniper course in Almaty from March 1 to 25, "
            "the Kazakh Ministry of Defence said on Tuesday."
        ),
    },
    {
        "id": "batch-rou-bgr-naval",
        "published": "2022-06-21",
        "source": "Test Wire",
        "text": (
            "Romanian and Bulgarian navies held a joint search and rescue exercise in the "
            "Black Sea on June 20, the Romanian Naval Forces said."
        ),
    },
    {
        "id": "batch-ind-mng-visit",
        "published": "2023-04-12",
        "source": "Test Wire",
        "text": (
            "The Mongolian defence minister met his Indian counterpart in New Delhi on "
            "Tuesday to discuss military training and cooperation."
        ),
    },
    {
        "id": "batch-tur-aze-transfer",
        "published": "2023-09-05",
        "source": "Test Wire",
        "text": (
            "Turkey delivered a batch of armoured vehicles to Azerbaijan last week, the "
            "Azerbaijani Defence Ministry said on Tuesday."
        ),
    },
    {
        "id": "batch-est-fin-exercise",
        "published": "2023-10-02",
        "source": "Test Wire",
        "text": (
            "Estonian and Finnish artillery units will hold a joint live-fire exercise at "
            "the Central Training Area from October 9 to 13, the Estonian Defence Forces said."
        ),
    },
]
BAD_LINE = '{"id": "batch-broken", "published": "2022-01-01", "text": "unterminated\n'


def write_inputs(root: Path) -> list[Path]:
    """A JSON Lines shard with a bad line, a gzipped one, and a directory of report files."""
    root.mkdir(parents=True, exist_ok=True)
    plain = root / "wire-a.jsonl"
    lines = [json.dumps(r) + "\n" for r in REPORTS[:2]]
    plain.write_text(lines[0] + BAD_LINE + lines[1], encoding="utf-8")
    packed = root / "wire-b.jsonl.gz"
    with gzip.open(packed, "wt", encoding="utf-8") as stream:
        stream.writelines(json.dumps(r) + "\n" for r in REPORTS[2:4])
    folder = root / "folder"
    folder.mkdir(exist_ok=True)
    for report in REPORTS[4:6]:
        (folder / f"{report['id']}.json").write_text(json.dumps(report), encoding="utf-8")
    last = REPORTS[6]
    (folder / f"{last['id']}.txt").write_text(
        f" date {last['published']} By Test Wire\n{last['text']}\n", encoding="utf-8"
    )
    return [plain, packed, folder]
