"""The demo's listening profile: written beside the scenario, complete, and used by the data dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from ediplomacy.config import Settings
from ediplomacy.demo.generate import generate
from ediplomacy.demo.phrasebook import BOOKS
from ediplomacy.demo.profile import PROFILE_FILE, install_profile
from ediplomacy.demo.world import LANGUAGES, MISSIONS, NAMES
from ediplomacy.nlp.gazetteer import gazetteer_for
from ediplomacy.nlp.profile import ListenProfile, load_profile


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ListenProfile]:
    out = tmp_path_factory.mktemp("demo")
    manifest = generate(out, posts=1000)
    assert manifest.profile == out / PROFILE_FILE
    return out, load_profile(manifest.profile)


def test_profile_names_the_country_in_every_demo_language(
    written: tuple[Path, ListenProfile],
) -> None:
    _, profile = written
    assert (profile.country_code, profile.country_name) == ("XJ", "Sagara Jaya")
    country = next(target for target in profile.targets if target.id == "sagara-jaya")
    for lang in LANGUAGES:
        assert NAMES["country"][lang] in country.aliases
    assert "Kemlu SJ" in country.aliases
    assert {"XJ", "QM"} <= set(profile.share_of_voice)
    assert len(profile.topics) >= 5
    assert all(len(topic.examples) >= 5 and topic.names.get("id") for topic in profile.topics)


def test_every_demo_location_is_placed(written: tuple[Path, ListenProfile]) -> None:
    _, profile = written
    gazetteer = gazetteer_for(profile.places)
    locations = {loc for book in BOOKS.values() for loc in book.locations if loc}
    locations |= {mission.location for mission in MISSIONS}
    unplaced = [loc for loc in locations if gazetteer.country_of_location(loc) is None]
    assert unplaced == []
    assert gazetteer.country_of_location("Kota Bahari") == ("XJ", 0.9)
    assert gazetteer.country_of_location("قديرة") == ("QM", 0.9)


def test_installed_into_the_data_dir_once_and_then_used(
    written: tuple[Path, ListenProfile], tmp_path: Path
) -> None:
    scenario, _ = written
    data = tmp_path / "data"
    copied = install_profile(scenario / PROFILE_FILE, data)
    assert copied == data / "listen.toml"
    assert Settings(data_dir=data).resolved_listen_profile() == copied
    # A profile the desk wrote itself is never overwritten.
    copied.write_text('[country]\ncode = "ID"\nname = "Indonesia"\n')
    assert install_profile(scenario / PROFILE_FILE, data) is None
    assert load_profile(copied).country_code == "ID"
