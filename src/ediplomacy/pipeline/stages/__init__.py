"""The registered stages, in the order `ediplomacy analyze` runs them."""

from __future__ import annotations

from collections.abc import Callable

from ediplomacy.config import Settings
from ediplomacy.pipeline.stage import Stage
from ediplomacy.pipeline.stages.entities import EntityStage
from ediplomacy.pipeline.stages.language import LanguageStage
from ediplomacy.pipeline.stages.normalize import NormalizeStage

STAGE_NAMES = ("normalize", "entities", "language")


def build_stages(settings: Settings, names: list[str] | None = None) -> list[Stage]:
    """The stages named (all by default), configured from settings."""
    chosen = names or list(STAGE_NAMES)
    unknown = [name for name in chosen if name not in STAGE_NAMES]
    if unknown:
        from ediplomacy.domain.errors import ConfigurationError

        raise ConfigurationError(
            f"unknown stage {', '.join(unknown)}; choose from {', '.join(STAGE_NAMES)}"
        )
    factories: dict[str, Callable[[], Stage]] = {
        "normalize": NormalizeStage,
        "entities": EntityStage,
        "language": lambda: LanguageStage(settings.languages),
    }
    return [factories[name]() for name in chosen]
