"""Words that signal an event of each type, and the cues around them.

Each event type has *strong* triggers, which can open a new event, and *weak*
ones, which only attach a sentence to an event already open ("The declaration
also pledges ..."). The patterns are compiled once; `sentence_cues` runs them
over one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from defcoop.extract.tense_cues import FUTURE
from defcoop.extract.transfer_cues import (
    DELIVERED,
    DEPLOYED_FOR_DRILLS,
    HANDOVER_CEREMONY,
    INTENT_TO_BUY,
    ORDER,
    ORDER_HINTS,
    PURPOSE_TRANSFER,
    TRANSFER_HINTS,
    TRANSFER_VERB,
    names_equipment,
)
from defcoop.records import EventType

# Patterns are written in lower case and run on lower-cased text: Python's re is
# two to three times slower with IGNORECASE, and these run on every sentence.
_I = 0

EXERCISE_NOUN = re.compile(
    r"\b(?:exercises?|drills?|manoeuvres?|maneuvers?|war[- ]?games?|army games|"
    r"military games|wargames?|competitions?|live[- ]fire|field training exercises?|"
    r"(?:edition|iteration)s? of)\b",
    _I,
)
TRAINING_STRONG = re.compile(
    r"\b(?:courses?|graduat(?:ed|es|ing|ion)|"
    r"(?:cadets?|officers?|servicemen|trainees?) (?:\w+ ){0,4}(?:stud(?:y|ying|ied)|enrolled)|"
    r"(?:complete[ds]?|attend(?:ed|s)?|underwent|undergo(?:ing|es)?|receiv(?:e|ed|es|ing)|"
    r"follow(?:ed|s)?|start(?:ed|s)?|beg[iau]n[s]?|commenc(?:ed|es)|provid(?:e|ed|es|ing)|"
    r"conduct(?:ed|s)?|offer(?:ed|s)?) (?:[\w-]+ ){0,4}(?:training|instruction|education)|"
    r"training (?:courses?|programm?es?|of|mission|missions)|trained (?:in|at|by)|trainings|"
    r"(?:are|is|were|was|been|be) (?:currently |now |being )?(?:training|trained) "
    r"(?:with|on|in|at|by|abroad)|for (?:their|the|further) (?:[\w-]+ ){0,2}training|"
    r"(?:trained|trains|train|taught|teach|teaches|instructed) (?:[\w,.-]+ ){0,4}(?:troops|"
    r"soldiers|officers|personnel|engineers|pilots|cadets|servicemen|units|forces|marines|"
    r"sailors|commandos|specialists|crews)|passing[- ]out parade|foreign cadets|"
    r"instructors? (?:from|sent|were sent|will be sent))\b",
    _I,
)
TRAINING_WEAK = re.compile(
    r"\b(?:training|trainings|trained|trains?|taught|teach(?:es)?|instructed|passing[- ]out|"
    r"courses?|education|instruction|cadets?|instructors?|trainees?|"
    r"graduat(?:ed|es|ing|ion))\b",
    _I,
)
SIGN_VERB = re.compile(
    r"\b(?:sign(?:ed|s|ing)?|ink(?:ed|s)?|ratif(?:ied|ies|y)|initial(?:l)?ed|"
    r"(?:struck|strikes|reached|reach|clinched|sealed|seal|exchanged) (?:an? |the )?"
    r"(?:[\w-]+ ){0,4}(?:agreement|deal|accord|contract|notes|memorandum)|"
    r"(?:conclud(?:ed|es)|adopt(?:ed|s)|accept(?:ed|s)|endorsed|approved) (?:an? |the )?"
    r"(?:[\w-]+ ){0,4}(?:agreement|memorandum|treaty|protocol|declaration|accord|pact|"
    r"contract|deal|plan))\b",
    _I,
)
# An agreement named as the frame of another event ("held under the agreement of
# 1992 signed ..."): a reference, not the signing itself.
AGREEMENT_FRAME = re.compile(
    r"\b(?:within the framework of|in the framework of|under|in accordance with|according to|"
    r"in line with|pursuant to|based on|as part of)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,4}"
    r"(?:agreements?|memorandum|mou|treaty|protocol|plan|accord|declaration|deal|contract|pact)\b"
)
# The act of signing, told without naming the document ("at the signing ceremony").
SIGNING = re.compile(r"\bsigning (?:ceremony|of)\b")
AGREEMENT_NOUN = re.compile(
    r"\b(?:agreements?|memorand(?:um|a)|mous?|treat(?:y|ies)|protocols?|declarations?|"
    r"accords?|pacts?|contracts?|deals?|roadmaps?|road maps?|action plans?|frameworks?|"
    r"letters? of (?:intent|agreement|understanding)|arrangements?|exchange of notes|"
    r"plans? (?:of|for) (?:[\w-]+ ){0,3}cooperation|cooperation plans?|charters?)\b",
    _I,
)
MEETING_STRONG = re.compile(
    r"\b(?:met|meets|meeting|meetings|talks|negotiations|consultations|joint press conference|"
    r"(?:held|gave) a (?:joint )?(?:press|news) conference|"
    r"held (?:an? )?(?:[\w-]+ ){0,3}dialogue|"
    r"(?:official|working|state|first|brief|maiden|[\w-]+-day) visit|"
    r"(?:with|and) (?:his|her) (?:[\w-]+ ){0,2}counterparts?|"
    r"courtesy call|call(?:ed|s)? on|paid (?:a |an )?(?:[\w-]+ ){0,2}visit|"
    r"planning conferences?|joint (?:[\w-]+ ){0,2}commission|"
    r"received (?:a|the) (?:\w+ )?delegation|delegation (?:led|headed) by|"
    r"(?:joined|received|hosted|welcomed|accompanied) (?:his|her|their|the) (?:\w+ ){0,2}"
    r"counterparts?|visit(?:ed|ing|s)? to the (?:office|headquarters|ministry|command)|"
    r"(?:ministers?|officials|sides|parties|delegations|counterparts?|chiefs|commanders|"
    r"two men|leaders)\b[^.]{0,80}\bdiscuss(?:ed|es)|"
    r"(?:phone|telephone) (?:call|conversation|talks)|video ?conference|"
    r"(?:to|will|would) meet(?! regularly| periodically| annually| every| once a)|"
    r"received (?:the |a )?(?:[\w-]+ ){0,3}(?:commander|minister|chief|ambassador|secretary|"
    r"admiral|general)\b)"
)
# "visited Ankara": the only cue that needs the text's own case.
MEETING_VISIT = re.compile(r"\bvisit(?:ed|ing|s)? (?:to )?[A-Z]")
MEETING_WEAK = re.compile(
    r"\b(?:visit|visited|meeting|talks|delegation|discuss(?:ed|es|ing)|counterparts?|"
    r"hosted|received)\b",
    _I,
)
# Words that make a sentence's partners explicit for a meeting.
COUNTERPART = re.compile(
    r"\b(?:counterparts?|delegation|host(?:ed)?|(?:two|both) (?:ministers|sides|men|delegations)|"
    r"the (?:sides|parties))\b",
    _I,
)
# Taking part: a sentence that lists who joins an exercise ("are sending forces to").
PARTICIPATION = re.compile(
    r"\b(?:take part|taking part|took part|takes part|participa\w+|sending (?:\w+ )?forces|"
    r"sent (?:\w+ )?(?:forces|troops|units|personnel)|joined by|represented by|"
    r"involv(?:e|es|ed|ing)|(?:servicemen|troops|soldiers|personnel|forces|contingents?|units|"
    r"sailors|pilots|marines|militaries|navies|delegations) (?:\w+ ){0,2}from)\b",
    _I,
)
# What an agreement provides for, not a drill held.
PROVISION = re.compile(
    r"\b(?:provides? for|envisag\w+|will see|calls? for|paves? the way for|allows?|"
    r"includ\w+ provisions?|covers?|foresees?)\b[^.]{0,200}\b(?:exercises?|drills?)\b"
)
# An exercise that is only the topic of talks.
EXERCISE_TOPIC = re.compile(
    r"\b(?:plans? for|preparations? for|planning (?:of|for)|next year['’]s|future|"
    r"preparing for)\s+(?:[\w'’-]+\s+){0,3}(?:exercises?|drills?|manoeuvres?)\b",
    _I,
)
# A statement about habits, not a concrete event ("periodically hold joint drills").
GENERIC = re.compile(
    r"\b(?:periodically|regularly|routinely|from time to time|traditionally|"
    r"will continue(?! until| till| through| to \d| for)|to be continued|"
    r"continue to hold|continues to hold|"
    r"every year|each year|"
    r"frequently|often hold|(?:more than|over) \d+ (?:international )?(?:drills|exercises) and|"
    r"(?:two|three|four|five|six|several|various|\d+) (?:[\w-]+ ){0,3}(?:exercises|drills) "
    r"(?:namely|such as|including|like)|"
    # A tally of drills, not one: "Nine international joint drills of ...", "over 30 drills".
    r"^(?:some |about |over |more than )?(?:three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|\d\d?) (?:[\w-]+ ){0,3}(?:exercises|drills)|"
    r"(?:more than|over|some|about|around) \d\d? (?:[\w-]+ ){0,2}(?:exercises|drills))\b",
    _I,
)
# Combat and hostility: actors named here are not partners.
HOSTILE = re.compile(
    r"\b(?:war|wars|invasion|invaded|occupation|occupied|aggression|attack(?:s|ed)?|"
    r"against|enemy|enemies|conflict|hostilities|clashes|threats?|tensions?|rivalry|rivals?|"
    r"disputes?|showdown|standoff|stand-off|wary|problematic|assertive\w*|coercion|"
    r"deter\w*|counter(?:ing)?|confront\w*)\b",
    _I,
)
# A different, earlier edition: "previous", "last edition", "the first of which".
OTHER_EDITION = re.compile(
    r"\b(?:previous|last edition|the first of which|earlier edition|prior edition|"
    r"last year's|held (?:earlier|previously))\b",
    _I,
)
CANDIDATE = re.compile(
    "|".join(
        p.pattern
        for p in (
            EXERCISE_NOUN,
            TRAINING_WEAK,
            AGREEMENT_NOUN,
            MEETING_STRONG,
            TRANSFER_VERB,
            SIGN_VERB,
            PARTICIPATION,
            ORDER,
        )
    ),
    _I,
)


@dataclass(frozen=True)
class SentenceCues:
    """Which event types a sentence can open, and which it can only continue."""

    opens: frozenset[EventType]
    continues: frozenset[EventType]
    generic: bool
    other_edition: bool


# A course finished, told beside an exercise: a training event of its own.
_TRAINING_DONE = re.compile(
    r"\b(?:complet\w*|finish\w*|underwent) (?:the |their |a )?(?:[\w-]+ ){0,2}"
    r"(?:training|course)|\bgraduat\w+ from\b"
)


def has_any(text: str, words: tuple[str, ...]) -> bool:
    """Whether any of the substrings occurs: a C-speed gate before a costly pattern."""
    # A plain loop, not any() over a generator: half the cost, on every sentence.
    for word in words:  # noqa: SIM110
        if word in text:
            return True
    return False


def has_any_folded(low: str, words: tuple[str, ...]) -> bool:
    """`has_any` on lower-cased text, before a pattern compiled with IGNORECASE.

    Under IGNORECASE "ı" and "İ" match "i" and "ſ" matches "s", but lower() keeps "ı"
    and "ſ" and writes "İ" as "i" and a combining dot: text holding any always passes.
    """
    return "ı" in low or "ſ" in low or "\u0307" in low or has_any(low, words)


# Substrings without which a costly pattern cannot match (each pattern's own words).
_TRAINING_HINTS = ("train", "taught", "teach", "instruct", "educat", "course", "graduat",
                   "cadet", "passing")  # fmt: skip
_MEETING_HINTS = ("met", "meet", "talks", "negotiat", "consult", "conference", "dialogue",
                  "visit", "delegation", "counterpart", "discuss", "received", "call",
                  "hosted", "welcomed", "accompanied", "joined", "commission",
                  "conversation")  # fmt: skip


_GENERIC_HINTS = ("period", "regular", "routine", "time to time", "tradition", "continu",
                  "every year", "each year", "frequent", "often", "exercises",
                  "drills")  # fmt: skip
_EDITION_HINTS = ("previous", "last", "first of which", "earlier", "prior", "held")
_MEETING_WEAK_HINTS = ("visit", "meeting", "talks", "delegation", "discuss", "counterpart",
                       "hosted", "received")  # fmt: skip
_PARTICIPATION_HINTS = ("part", "sending", "sent ", "joined by", "represented by", "involv")
_PARTICIPANT_NOUNS = ("servicemen", "troops", "soldiers", "personnel", "forces", "contingent",
                      "units", "sailors", "pilots", "marines", "militaries", "navies",
                      "delegations")  # fmt: skip


def _participation(text: str) -> bool:
    """Whether a lower-cased sentence tells who takes part (`PARTICIPATION`)."""
    if not has_any(text, _PARTICIPATION_HINTS) and not (
        "from" in text and has_any(text, _PARTICIPANT_NOUNS)
    ):
        return False
    return PARTICIPATION.search(text) is not None


_ORDERED_GOODS = re.compile(
    r"\b(?:the|those|these|\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|[a-z]+teen|[a-z]+ty) ordered\b"
)
_EXERCISES_FOR_TRAINEES = re.compile(
    r"\b(?:practical|training|tactical) exercises for (?:[\w-]+ ){0,2}"
    r"(?:servicemen|personnel|specialists|cadets|officers|students|trainees)\b"
)
_AGENDA = re.compile(
    r"\b(?:tasks|priorities|areas|directions|avenues|prospects|agenda)\b[^.]{0,80}?"
    r"\b(?:including|include|includes|such as)\b"
)
_PEACE_DEAL = re.compile(
    r"\b(?:peace|ceasefire|cease-fire|truce|armistice|cessation of hostilities)\s+"
    r"(?:[\w-]+\s+){0,2}(?:agreements?|deals?|accords?|treaty|pact)\b"
)
# Any date in a sentence: a year, or a month's name.
_A_DATE = re.compile(
    r"\b(?:(?:19|20)\d\d|january|february|march|april|may|june|july|august|september|"
    r"october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"today|yesterday)\b"
)


def sentence_cues(sentence: str) -> SentenceCues:
    """The event types a sentence signals, strong (opens) and weak (continues).

    The costly patterns run only where a cheap substring test says they can match:
    this runs on every candidate sentence.
    """
    text = sentence.lower()
    opens: set[EventType] = set()
    continues: set[EventType] = set()
    exercise_noun = EXERCISE_NOUN.search(text)
    if exercise_noun:
        opens.add("exercise")
    if has_any(text, _TRAINING_HINTS):
        strong_training = TRAINING_STRONG.search(text) is not None
        if strong_training and ("exercise" not in opens or _TRAINING_DONE.search(text)):
            # "before the exercise, officers who completed training in Turkey": two events.
            opens.add("training")
        elif TRAINING_WEAK.search(text):
            continues.add("training")
    agreement_noun = AGREEMENT_NOUN.search(text)
    has_agreement_noun = agreement_noun is not None
    frame = AGREEMENT_FRAME.search(text) if has_agreement_noun else None
    agreement_frame = frame is not None
    signed_at = SIGN_VERB.search(text) if has_agreement_noun else None
    # "conducted within the framework of an agreement ... signed between A and B": the
    # frame of another act, told with no date of its own, is no signing of this report.
    undated_frame = (
        frame is not None
        and signed_at is not None
        and signed_at.start() > frame.start()
        and _A_DATE.search(text) is None
    )
    framed = (bool(opens) and agreement_frame) or undated_frame
    ordered_now = has_any(text, ORDER_HINTS) and ORDER.search(text) is not None
    transfer_match = TRANSFER_VERB.search(text) if has_any(text, TRANSFER_HINTS) else None
    transfer_verb = transfer_match is not None
    equipment = (ordered_now or transfer_verb) and names_equipment(text)
    # A peace between warring sides is no defence cooperation ("the cessation of
    # hostilities agreement signed by the parties").
    peace = signed_at is not None and _PEACE_DEAL.search(text) is not None
    # "two of the five ordered aircraft were delivered": the order is the goods' history.
    order_told = ordered_now and not (
        _ORDERED_GOODS.search(text) and DELIVERED.search(text) is not None
    )
    if (signed_at and not framed and not peace) or (
        order_told and equipment and not FUTURE.search(text)
    ):
        opens.add("agreement")
    elif has_agreement_noun or ("signing " in text and SIGNING.search(text)):
        continues.add("agreement")
    strong_meeting = has_any(text, _MEETING_HINTS) and MEETING_STRONG.search(text) is not None
    visit = "visit" in sentence and MEETING_VISIT.search(sentence) is not None
    if (strong_meeting or visit) and not (
        "agreement" in opens and not re.search(r"\b(?:met|talks|meetings?|discussed)\b", text)
    ):
        opens.add("meeting")
    elif has_any(text, _MEETING_WEAK_HINTS) and MEETING_WEAK.search(text):
        continues.add("meeting")
    # "Under the declaration, the three countries will buy ...": what it provides for.
    provision = agreement_frame and FUTURE.search(text) is not None
    if equipment and transfer_verb:
        delivered = DELIVERED.search(text) is not None
        # "signed a deal to buy two frigates", "scrapped an agreement to buy submarines": the
        # deal is told, not a delivery (unless the goods are said to have come).
        purpose = PURPOSE_TRANSFER.search(text) is not None and (
            "agreement" in opens or not delivered
        )
        # "ordered a new batch of jets": the order is the event until they are delivered.
        ordered = ordered_now and not delivered
        # "signed an agreement to allow the exchange of supplies": what the signed
        # text provides for, told after it, is no transfer yet.
        content = (
            signed_at is not None
            and agreement_noun is not None
            and transfer_match is not None
            and agreement_noun.start() < transfer_match.start()
            and not delivered
        )
        purpose = purpose or content
        wanted = INTENT_TO_BUY.search(text) is not None and not delivered
        # "troops and aircraft that will take part in the exercise arrived": a deployment
        # for the drills, not goods changing hands.
        deployed = exercise_noun is not None and DEPLOYED_FOR_DRILLS.search(text) is not None
        if not (purpose or provision or ordered or wanted or deployed):
            opens.add("transfer")
    elif transfer_verb and HANDOVER_CEREMONY.search(text):
        continues.add("transfer")  # "the handover ceremony, held at ...": the goods' event
    drills = [kind for kind in ("exercise", "training") if kind in opens]
    if drills:
        provided = has_agreement_noun and PROVISION.search(text) is not None
        if "agreement" in opens and has_agreement_noun:
            # "signed an agreement ... to facilitate joint exercises": what it is for.
            provided = provided or (
                signed_at is not None
                and exercise_noun is not None
                and exercise_noun.start() > signed_at.start()
            )
        for kind in drills:
            if provision or provided:
                # "The MoU ... will see the two armies conduct joint exercises": a provision.
                opens.discard(kind)
                continues.add(kind)
    if "exercise" not in opens and _participation(text):
        continues.add("exercise")
    if "meeting" in opens and "exercise" in opens and EXERCISE_TOPIC.search(text):
        # "held talks on plans for next year's exercise": the talks are the event.
        opens.discard("exercise")
        continues.add("exercise")
    if "exercise" in opens and " for " in text and _EXERCISES_FOR_TRAINEES.search(text):
        # "practical exercises for Tajik servicemen": lessons of a course, not joint drills.
        opens.discard("exercise")
        opens.add("training")
    if ("includ" in text or "such as" in text) and _AGENDA.search(text):
        # "identified the main tasks, including joint exercises and supplies of weapons":
        # an agenda lists acts to come, it tells none.
        agenda = opens & {"exercise", "training", "transfer"}
        opens -= agenda
        continues |= agenda
    return SentenceCues(
        opens=frozenset(opens),
        continues=frozenset(continues - opens),
        generic=has_any(text, _GENERIC_HINTS) and GENERIC.search(text) is not None,
        other_edition=has_any(text, _EDITION_HINTS) and OTHER_EDITION.search(text) is not None,
    )
