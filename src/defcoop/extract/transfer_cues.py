"""Cues of equipment changing hands: the verbs of a transfer, the goods, and what makes
a sentence about goods no transfer yet (a purpose, a wish, a request, a deployment).

Written in lower case and run on lower-cased text, like every trigger pattern.
"""

from __future__ import annotations

import re

TRANSFER_VERB = re.compile(
    r"\b(?:deliver(?:ed|s|y|ies|ing)?|handed over|hand(?:s|ing)? over|suppl(?:ied|ies|y|ying)|"
    r"arriv(?:e|es|ed|al|ing)|shipped|shipment|batch|lease[ds]?|leasing|turn(?:ed|s)? over|"
    r"turnover|provid(?:e|es|ed|ing) (?:[\w$,.-]+ ){0,5}to|present(?:s|ed)? (?:[\w$,.-]+ ){0,5}to|"
    r"transfer(?:s|ring)? (?!of (?:technolog|know-how|skills|experience|knowledge))"
    r"(?:[\w$,.-]+ ){0,7}to|receiv(?:e|es|ed|ing) (?:\S+ ){0,6}from|"
    r"(?:built|constructed|construction) for|commissioned into|inducted|induction|procuring|"
    r"handover|hand-over|"
    r"enter(?:ed|s|ing)? (?:into )?service (?:with|in)|join(?:ed|s)? the (?:[\w-]+ ){0,2}(?:fleet|"
    r"inventory|arsenal)|"
    r"sold|sells?|sale|purchas(?:ed|es|e|ing)|procur(?:ed|es|e|ement)|acquir(?:ed|es|e|ing)|"
    # "Acquisition and Cross-Servicing Agreement": shared supplies, no goods sold.
    r"bought|buys?|buying|acquisition(?! and cross)|export(?:ed|s)?|"
    r"donat(?:e|ed|es|ing|ion)|gift(?:ed)?|"
    r"receiv(?:ed|es) (?:[\w,]+ ){0,6}(?:first|batch|consignment)|transferred|"
    r"transfer of (?!technolog|know-how|skills|experience|knowledge)|joint production|"
    r"co-produc\w*)\b",
)
EQUIPMENT = re.compile(
    r"\b(?:drones?|uavs?|ucavs?|unmanned aerial|aircraft|jets?|fighters?|helicopters?|tanks?|"
    r"missiles?|corvettes?|frigates?|submarines?|warships?|vessels?|ships?|boats?|howitzers?|"
    r"(?:infantry )?fighting vehicles?|ifvs?|minehunters?|patrol vessels?|"
    r"artillery|rifles?|ammunition|weapons?|armou?red (?:\w+ ){0,2}(?:vehicles?|carriers?)|"
    r"personnel carriers?|apcs?|air defen[cs]e systems?|"
    r"radars?|bayraktar|tb2|akinci|rafale|f-16s?|f-35s?|s-400|military equipment|"
    r"defen[cs]e equipment|military hardware|arms|weaponry|munitions?|launchers?|mortars?)\b",
)
# The ceremony of a transfer, told without the goods: it continues the transfer just told.
HANDOVER_CEREMONY = re.compile(
    r"\b(?:handover|hand-over|handing-over|handing over|delivery|acceptance|induction|"
    r"transfer) ceremony\b"
)
# Goods that are military only in a military sentence: "vehicles and equipment to the army".
GENERIC_GOODS = re.compile(r"\b(?:equipment|hardware|vehicles?|planes?|systems|guns?|trucks?)\b")
MILITARY_CONTEXT = re.compile(
    r"\b(?:military|defen[cs]e|army|armies|navy|naval|air force|armed forces|troops|soldiers|"
    r"border guards?|coast guard|marines|ministry of defen[cs]e|forces)\b"
)


def names_equipment(text: str) -> bool:
    """Whether a lower-cased sentence names military equipment."""
    if EQUIPMENT.search(text):
        return True
    return GENERIC_GOODS.search(text) is not None and MILITARY_CONTEXT.search(text) is not None


# What an agreement is for: "a contract to acquire", "a deal to supply".
PURPOSE_TRANSFER = re.compile(
    r"\b(?:contract|deal|agreement|memorandum|protocol)\w* (?:\w+ ){0,2}to (?:acquire|buy|purchase|"
    r"procure|supply|deliver|build|produce|sell)\b|"
    r"\b(?:export|arms|purchase|sale|supply|procurement|equipment|acquisition) "
    r"(?:deal|contract|agreement)s?\b"
)
# Wanting to buy is no transfer yet: "plans to acquire", "sought to buy".
INTENT_TO_BUY = re.compile(
    r"\b(?:plans?|planned|planning|sought|seeks?|seeking|intends?|wants?|looking|aims?|"
    r"bid|efforts?) to (?:acquire|buy|purchase|procure|obtain)\b|"
    # "what equipment could be supplied": a possibility, no transfer yet.
    r"\b(?:could|might|may) be (?:supplied|delivered|provided|transferred|sold|donated)\b|"
    # "asking the West to donate jets": a request, no transfer yet.
    r"\b(?:ask\w*|request\w*|urg\w*|call\w* on|appeal\w* to) (?:[\w-]+ ){1,4}to "
    r"(?:donate|provide|supply|deliver|send|transfer)\b"
)
# Forces arriving for an exercise: "units that will participate in the drills arrived".
DEPLOYED_FOR_DRILLS = re.compile(
    r"\b(?:participat\w*|take part|taking part|to join)\b.{0,60}\barriv\w*|"
    r"\barriv\w*\b.{0,60}\b(?:to (?:participate|take part|join)|for the (?:exercises?|drills?))\b"
)
# What a delivery itself says, beyond an order: the goods moved.
DELIVERED = re.compile(
    r"\b(?:deliver(?:ed|s|ies|y)|arriv(?:ed|es|al)|handed over|hands over|received|took delivery)\b"
)
# An order placed for equipment is a contract: the agreement, not yet the delivery.
ORDER = re.compile(r"\b(?:ordered|orders|placed an order|order for|contracted)\b")

# Substrings without which `TRANSFER_VERB` cannot match (its own words).
TRANSFER_HINTS = ("deliver", "hand", "suppl", "arriv", "ship", "batch", "leas", "turn",
                   "provid", "present", "transfer", "receiv", "built", "construct",
                   "commission", "induct", "procur", "service", "join", "sold", "sell",
                   "sale", "purchas", "acquir", "acquisition", "bought", "buy", "export",
                   "donat",
                   "gift", "produc")  # fmt: skip
ORDER_HINTS = ("order", "contracted")
# PARTICIPATION: its verbs, or one of its nouns with "from" after it.
