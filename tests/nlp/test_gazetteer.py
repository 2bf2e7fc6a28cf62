"""The gazetteer: profile locations and countries named in posts, from packaged data only."""

from __future__ import annotations

import pytest

from ediplomacy.nlp.gazetteer import Gazetteer, gazetteer_for
from ediplomacy.nlp.profile import Place

DEMO_PLACES = (
    Place("XJ", ("Sagara Jaya", "ساغارا جايا", "萨加拉贾亚", "Kota Bahari", "Muara Jaya")),
    Place("QM", ("Almaraya", "ألمارايا", "阿尔马拉亚", "Qadira", "قديرة", "Dar Salwa", "دار سلوى")),
)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return gazetteer_for(DEMO_PLACES)


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("Jakarta, Indonesia", "ID"),
        ("jakarta", "ID"),
        ("Kuala Lumpur", "MY"),
        ("KL", "MY"),
        ("Paris 🇫🇷", "FR"),
        ("🇮🇩", "ID"),
        ("NYC", "US"),
        ("Jawa Barat", "ID"),
        ("Bandung, Jawa Barat", "ID"),
        ("Bali", "ID"),  # the province, not the town of that name in India
        ("London, UK", "GB"),
        ("Manchester", "GB"),  # the biggest of the Manchesters
        ("Paris, Texas", "US"),  # the part naming a state decides which Paris
        ("Atlanta, Georgia", "US"),
        ("Tbilisi, Georgia", "GE"),
        ("Austin, TX", "US"),
        ("Guadalajara", "MX"),  # the city of 1.4 million, not the Spanish province
        ("Living in Jakarta", "ID"),
        ("Ciudad de México", "MX"),
        ("Bogotá", "CO"),
        ("Montréal", "CA"),
        ("Bruxelles", "BE"),
        ("القاهرة", "EG"),
        ("北京", "CN"),
        ("吉隆坡", "MY"),
        ("東京", "JP"),
        ("Москва", "RU"),
        ("España", "ES"),
        ("Kota Bahari", "XJ"),
        ("Qadira, Almaraya", "QM"),
        ("قديرة", "QM"),
        ("دار سلوى", "QM"),
        ("Muara Jaya", "XJ"),
        ("Portland, OR", "US"),  # a US state code beside a US city, not the parish in Jamaica
        ("LA", "US"),  # Los Angeles, not Laos
        ("Los Angeles, CA", "US"),  # California beside a US city, not Canada
        ("Seoul", "KR"),
        ("Jakarta, ID", "ID"),  # the city decides between Indonesia and Idaho
    ],
)
def test_country_of_location(gazetteer: Gazetteer, location: str, expected: str) -> None:
    found = gazetteer.country_of_location(location)
    assert found is not None, location
    assert found[0] == expected
    assert 0 < found[1] <= 1


@pytest.mark.parametrize(
    "location",
    ["Earth", "somewhere", "Everywhere 🌍", "the moon", "I love you", "Global citizen", "", "  ",
     "Bukit Kencana",
     # Pronouns and words that happen to be a city's other name or an airport code.
     "she/her", "she", "Her", "Bio", "Soul",
     # Alone, a code that is both a US state and a country says neither.
     "CA", "PA", "IN"],
)  # fmt: skip
def test_locations_that_name_no_country(gazetteer: Gazetteer, location: str) -> None:
    assert gazetteer.country_of_location(location) is None


def test_a_named_country_is_surer_than_a_lone_ambiguous_city(gazetteer: Gazetteer) -> None:
    sure = gazetteer.country_of_location("Manchester, United Kingdom")
    unsure = gazetteer.country_of_location("Manchester")
    assert sure is not None and unsure is not None
    assert sure[1] > unsure[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Malaysia and Indonesia signed a deal with China", ["MY", "ID", "CN"]),
        ("Les Indonésiens et les Français", ["ID", "FR"]),
        ("Los chinos y los mexicanos en Estados Unidos", ["CN", "MX", "US"]),
        ("AS dan Tiongkok bersaing", ["US", "CN"]),
        ("Kemlu menyatakan Amerika Serikat perlu dialog", ["US"]),
        ("gempa bumi di Jepang", ["JP"]),
        ("The Malaysian PM met the Japanese ambassador", ["MY", "JP"]),
        ("中国和美国", ["CN", "US"]),
        ("زلزال يضرب ألمارايا والسفارة الإندونيسية تساعد المواطنين في مصر", ["QM", "ID", "EG"]),
        ("والفرنسية وبالصين", ["FR", "CN"]),
        ("强烈地震袭击阿尔马拉亚，萨加拉贾亚大使馆发布通知", ["QM", "XJ"]),  # noqa: RUF001
        ("#PrayForQadira #SagaraJaya", ["QM", "XJ"]),
        ("Côte d’Ivoire and the Republic of the Congo", ["CI", "CG"]),  # noqa: RUF001
        ("I'm visiting Beijing and Tokyo next week", ["CN", "JP"]),
        ("Turkey and Jordan condemned it", ["TR", "JO"]),
        ("Flights to Jordan resume next week", ["JO"]),  # a place word before the name
        ("Aid reached Chad and Niger", ["TD", "NE"]),
        ("The sandwich came from Turkey", ["TR"]),  # Turkey inside a sentence, capitalised
        ("Ankara: Georgia and Turkey signed", ["TR", "GE"]),
        ("Papua New Guinea and New Zealand", ["PG", "NZ"]),
    ],
)
def test_countries_mentioned(gazetteer: Gazetteer, text: str, expected: list[str]) -> None:
    assert gazetteer.countries_mentioned(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "As usual, turkey for dinner",  # a common word in lower case
        "AS I SAID BEFORE, THE US IS",  # capitals in a shouted text are not abbreviations
        "المصرف المركزي",  # a bank, not Egypt
        "Thank you for the quick response!",
        "",
        # US states and other names starting with "New".
        "Wildfires in New Mexico",
        "Traffic in New Jersey",
        # People's names and a US state: no country without another cue.
        "Georgia beat Alabama",
        "Jordan scored",
        "Chad said no",
        # Fixed expressions.
        "Turkey sandwiches for lunch",
        "Guinea pig rescue",
        "Storm over the Indian Ocean",
        "French fries please",
    ],
)
def test_no_false_mentions(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.countries_mentioned(text) == []


def test_without_profile_places_the_fictional_countries_are_unknown() -> None:
    plain = gazetteer_for()
    assert plain.country_of_location("Kota Bahari") is None
    assert plain.countries_mentioned("Gempa di Qadira") == []
    assert plain.countries_mentioned("Gempa di Indonesia") == ["ID"]


def test_fast_enough(gazetteer: Gazetteer) -> None:
    # Not a timing assertion: thousands of texts must not rebuild anything per call.
    texts = ["Gempa di Qadira, WNI Sagara Jaya diminta tenang #PrayForQadira"] * 2000
    assert all(gazetteer.countries_mentioned(text) == ["QM", "ID", "XJ"] for text in texts)
