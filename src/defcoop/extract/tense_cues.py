"""Tense and aspect: whether a sentence tells an event as planned, under way or done,
which of its dates start or end it, and which only date a statement about it.

Written in lower case and run on lower-cased text, like every trigger pattern.
"""

from __future__ import annotations

import re

FUTURE = re.compile(
    r"\b(?:(?:left|leave|leaves|departed|departs|sent|dispatched|headed|heading) (?:for )?"
    r"[\w\s'’-]{0,40}? to (?:join|take part|participate|attend)|"
    r"will|shall|'ll|is set to|are set to|to be held|to take place|scheduled|"
    r"(?:agreed|decided|agree|decide) to (?:hold|conduct|stage|organi[sz]e)|"
    r"plans? to|planned|planning|is expected to|are expected to|upcoming|intends? to|"
    r"expecting|awaits|awaiting|"
    r"is to|are to|going to|prepar(?:e|es|ing) (?:for|to))\b",
)
ONGOING = re.compile(
    r"\b(?:started|starts|begun|began|begins|commenced|commences|kicked off|kicks off|"
    r"launched|launches|opened|opens|are holding|is holding|are being|is being|"
    r"continu(?:e|es|ing)|underway|under way|ongoing|are taking part|is taking part|"
    r"are participating|is participating|are conducting|is conducting|are held|is held|"
    r"are continuing|hold|holds|holding|has started|have started|stage|stages)\b",
)
COMPLETED = re.compile(
    r"\b(?:ended|ends|concluded|concludes|completed|wrapped up|was held|were held|"
    r"took place|closing ceremony|graduated|returned|was conducted|were conducted|"
    r"held|signed|met|visited|delivered|attended|participated|took part|carried out|"
    r"came to an end|finished)\b",
)
START_VERB = re.compile(
    r"\b(?:start\w*|beg[ia]n\w*|begun|commenc\w*|kick\w* off|launch\w*|open\w*|initiat\w*|from)"
    r"(?:\s+(?:on|in))?\s+\W*$",
)
END_VERB = re.compile(
    r"\b(?:end\w*|conclud\w*|complet\w*|wrap\w* up|last\w*|until|till|through|graduat\w*|"
    r"culminat\w*|finish\w*)"
    # "culminate their training on March 31": the verb's object between it and the date.
    r"(?:\s+(?:their|the|its|his|her)(?:\s+[\w-]+){1,2})?"
    r"(?:\s+(?:on|in))?\s+\W*$",
)
# A date right after these is when something was said, not when the event was.
ATTRIBUTION = re.compile(
    r"\b(?:reported|said|says|told|announced|stated|noted|informed|tweeted|wrote|"
    r"according to [\w' ]+|press service|statement)\s+(?:on\s+|in\s+)?$",
)
