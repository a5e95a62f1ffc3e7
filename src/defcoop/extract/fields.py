"""Fill the fields of a mention from the sentences of its draft.

Participants, place, dates and status each come from the sentences that state
the event; the report's main pair of countries fills in "the two countries".
"""

from __future__ import annotations

import re

from defcoop.extract.context import POINT_TYPES, ReportContext
from defcoop.extract.drafts import Draft
from defcoop.extract.event_dates import event_dates
from defcoop.extract.facts import SentenceFacts
from defcoop.extract.status import event_status
from defcoop.extract.triggers import has_any
from defcoop.records import Evidence, Location, Mention, Place

_TWO = re.compile(
    r"\b(?:two|both|the) (?:countries|nations|armies|sides|states|militaries|ministers|"
    r"parties|allies|brotherly countries)\b|\b(?:bilateral|counterparts?|jointly|joint)\b",
    re.I,
)
_THREE = re.compile(
    r"\b(?:the|all) three (?:countries|nations|armies|states|sides|parties)\b", re.I
)
_FORCES = re.compile(
    r"\b(?:(?:air|naval|land|ground|special|armed|rapid reaction|peacekeeping|"
    r"special operations) forces?|navy|marines|commandos?|"
    r"\d+(?:st|nd|rd|th) [A-Z][a-z]+(?: [A-Z][a-z]+)? (?:Brigade|Division|Battalion|Regiment))\b",
    re.I,
)
_HOSTS = re.compile(
    # "Armenia announced on Saturday that it will host ...": the subject, told of as "it".
    r"(?:\s+(?:[\w-]+\s+){1,5}?that\s+it)?"
    r"(?:['’]s?)?\s+(?:(?:will|would|is to|to|is set to|plans to|has|have)\s+)?"
    r"(?:host|hosts|hosted|hosting|play(?:s|ed)? host to|(?:is|are|was) the host of)\b"
)


def _participants(draft: Draft, context: ReportContext, location: Location | None) -> list[str]:
    """Countries and alliances taking part, the report's main pair filling 'the two countries'."""
    # A sentence that also opens another kind of event ("met his Kyrgyz counterpart
    # on the sidelines of the drills") names that event's partners, not this one's.
    own = [f for f in draft.sentences if f is draft.opener or f.cues.opens <= {draft.type}]
    codes = list(dict.fromkeys(code for f in own for code in f.countries))
    if draft.type in ("agreement", "meeting"):
        codes = _without_beneficiaries(own, codes)
    if draft.type == "transfer":
        codes = _transfer_parties(draft, codes, context)
    countries = [c for c in codes if len(c) == 3 and c.isupper()]
    says_three = any(_THREE.search(f.sentence.text) for f in draft.sentences)
    if len(countries) < 2 or (says_three and len(countries) < 3):
        says_two = any(_TWO.search(f.sentence.text) for f in draft.sentences)
        # "the two countries" stands for the report's main pair ("the three countries" for
        # its main three); with no partner named at all, the report's main country is the
        # one taking part. Cooperation takes two: a transfer, agreement, meeting or course
        # told with one country named has its partner among the report's main countries.
        # Another edition of a named series is joint like the series.
        opener = draft.opener
        edition = draft.name is not None and opener is not None and opener.cues.other_edition
        wanted = 2 if says_two or edition or draft.type in (*POINT_TYPES, "training") else 1
        wanted = 3 if says_three else wanted
        for code in context.main_countries[:wanted]:
            if code not in codes and len(countries) < wanted:
                codes.append(code)
                countries.append(code)
    host = location.country if location is not None else None
    if draft.type in ("exercise", "training") and host and host not in codes:
        codes.append(host)
    elif draft.type == "meeting" and host and host not in codes and len(countries) < 2:
        codes.append(host)  # "hosted his counterpart in New Delhi": the host takes part
    return sorted(codes)


# What a signing or a meeting is for: "an agreement to train Ukrainian pilots", "the
# centre, where Ukrainian pilots will be trained". Those it is for are no signatories.
_PURPOSE = re.compile(
    r"\b(?:to (?:train|help|support|supply|equip|assist|arm|defend|protect)|where|"
    r"for the (?:training|benefit) of)\b",
    re.I,
)


def _without_beneficiaries(own: list[SentenceFacts], codes: list[str]) -> list[str]:
    """The codes less those named only in what the event is for, when two parties remain."""
    parties: set[str] = set()
    for facts in own:
        purpose = _PURPOSE.search(facts.sentence.text)
        cut = purpose.start() if purpose else len(facts.sentence.text)
        parties.update(a.code for a in facts.actors if a.start < cut)
    kept = [c for c in codes if c in parties]
    return kept if len([c for c in kept if len(c) == 3 and c.isupper()]) >= 2 else codes


# The supplier of a transfer: "from France", "French-made", "Turkish drones".
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$")
_MADE_AFTER = re.compile(r"^(?:-made|-built|-produced)\b")


def _country_in_role(draft: Draft, before: re.Pattern[str], after: re.Pattern[str]) -> str | None:
    """The first country of the draft's sentences with a role word right before or after it."""
    for facts in draft.sentences:
        text = facts.sentence.text
        for actor in facts.actors:
            if actor.kind == "alliance":
                continue
            ahead = text[max(0, actor.start - 12) : actor.start]
            if before.search(ahead) or after.match(text[actor.end :]):
                return actor.code
    return None


def _supplier(draft: Draft) -> str | None:
    """The country a transfer comes from, where a sentence says so."""
    return _country_in_role(draft, _FROM_BEFORE, _MADE_AFTER)


def _transfer_parties(draft: Draft, codes: list[str], context: ReportContext) -> list[str]:
    """A transfer is between a supplier and a recipient: other countries named are context
    ("the drones, already sold to Poland, Ukraine, Qatar ...")."""
    if len(codes) <= 2:
        return codes
    sides = [c for c in (_supplier(draft), _recipient(draft)) if c is not None]
    if len(set(sides)) == 2:
        return list(dict.fromkeys(sides))
    ranked = [c for c in context.main_countries if c in codes]
    return list(dict.fromkeys([*sides, *ranked]))[:2] if ranked else codes


def _location(draft: Draft, context: ReportContext) -> Location | None:
    """The most specific place the sentences give, the opening sentence first."""
    ordered = [draft.opener] if draft.opener else []
    ordered += [f for f in draft.sentences if f is not draft.opener]
    best: Place | None = None
    for facts in ordered:
        for hit in facts.places:
            if hit.place.kind != "country":
                best = hit.place
                break
            if best is None:
                best = hit.place
        if best is not None and best.kind != "country":
            break
    unsited = best is None or best.kind == "country"
    filed = context.dateline if draft.type in ("meeting", "agreement") and unsited else None
    if filed is not None and (best is None or best.country == filed.country):
        # A signing or a visit with no place of its own, reported from a dateline.
        named = {code for f in draft.sentences for code in f.countries}
        if filed.country in named:
            best = filed
    if best is None:
        host = _transfer_recipient(draft) if draft.type == "transfer" else _host_country(draft)
        return Location(name=None, country=host) if host else None
    site = best.kind != "country"
    return Location(
        name=best.name,
        country=best.country or _sector_country(draft, best) or _other_country(draft, context),
        # A country is no site: its capital's coordinates would put the event where it
        # was not (a map shows it by its country instead).
        lat=best.lat if site else None,
        lon=best.lon if site else None,
        place_id=best.id if site else None,
    )


def _other_country(draft: Draft, context: ReportContext) -> str | None:
    """For a place of no known country: the country of another place of the event,
    the host the text names, the dateline's country if it takes part, or the first
    country the event's sentences name."""
    for facts in draft.sentences:
        for hit in facts.places:
            if hit.place.country:
                return hit.place.country
    host = _host_country(draft)
    if host is not None:
        return host
    filed = context.dateline
    named = [code for f in draft.sentences for code in f.countries if len(code) == 3]
    if filed is not None and filed.country in named:
        return filed.country
    # A venue in no gazetteer, in a report that names no host: the first country the
    # event's own sentences name, most often the one whose ground it is.
    return named[0] if named else None


_TO_BEFORE = re.compile(r"\b(?:to|for)\s+(?:the\s+)?$")
_RECEIVES_AFTER = re.compile(
    r"^(?:['’]s?)?\s+(?:[\w-]+\s+){0,4}?(?:has\s+|have\s+|had\s+|will\s+|is set to\s+)?"
    r"(?:receiv|took delivery|takes delivery|accept|acquir|bought|buys|purchas|got\b|inducted)"
)


def _recipient(draft: Draft) -> str | None:
    """The country a transfer goes to: "delivered to Ghana", "Kenya received ..."."""
    return _country_in_role(draft, _TO_BEFORE, _RECEIVES_AFTER)


def _transfer_recipient(draft: Draft) -> str | None:
    """The recipient a sentence names, else the one country beside a named supplier."""
    recipient = _recipient(draft)
    if recipient is not None:
        return recipient
    supplier = _supplier(draft)
    others = [c for c in draft.countries if c != supplier and len(c) == 3 and c.isupper()]
    return others[0] if supplier is not None and len(others) == 1 else None


def _host_country(draft: Draft) -> str | None:
    """The country a sentence says hosts the event: "Armenia will host the drills"."""
    for facts in draft.sentences:
        text = facts.sentence.text
        for actor in facts.actors:
            if actor.kind != "alliance" and _HOSTS.match(text, actor.end):
                return actor.code
    return None


def _sector_country(draft: Draft, place: Place) -> str | None:
    """The country whose part of a sea the text names: "the Kazakh part of the Caspian"."""
    for facts in draft.sentences:
        for hit in facts.places:
            if hit.place.id != place.id:
                continue
            before = facts.sentence.text[max(0, hit.start - 45) : hit.start]
            for actor in facts.mentioned:
                if (
                    actor.end <= hit.start
                    and facts.sentence.text[actor.start : hit.start] in before
                ):
                    gap = facts.sentence.text[actor.end : hit.start]
                    if re.search(r"\b(?:sector|part|waters|coast|side)\b", gap):
                        return actor.code
    return None


_FORCE_WORDS = ("force", "navy", "marine", "commando", "brigade", "division", "battalion",
                "regiment")  # fmt: skip


def _forces(draft: Draft) -> tuple[str, ...]:
    """Forces and units named in the sentences: air force, navy, 1st Commando Brigade."""
    found = [
        m.group(0)
        for f in draft.sentences
        if has_any(f.sentence.text.lower(), _FORCE_WORDS)
        for m in _FORCES.finditer(f.sentence.text)
    ]
    return tuple(dict.fromkeys(found))


def build_mention(draft: Draft, context: ReportContext) -> Mention:
    """The mention a draft stands for, every field from its sentences."""
    location = _location(draft, context)
    start, end = event_dates(draft, context)
    evidence = tuple(
        # The report's own words: a sentence read across a line break keeps its break.
        Evidence(
            text=context.text[f.sentence.start : f.sentence.end] or f.sentence.text,
            start=f.sentence.start,
            end=f.sentence.end,
        )
        for f in sorted(draft.sentences, key=lambda f: f.index)
    )
    return Mention(
        doc=context.doc,
        type=draft.type,
        name=draft.name.text if draft.name is not None else None,
        participants=tuple(_participants(draft, context, location)),
        location=location,
        start=start,
        end=end,
        status=event_status(draft, start, end, context.published),
        evidence=evidence,
        forces=_forces(draft),
        published=context.published,
    )
