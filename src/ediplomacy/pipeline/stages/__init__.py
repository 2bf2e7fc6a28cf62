"""The registered stages, in the order `ediplomacy analyze` runs them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ediplomacy.config import Settings
from ediplomacy.nlp.embedders import Embedder, space_embedder
from ediplomacy.nlp.finetuned import FineTunedHeads, shared_finetuned
from ediplomacy.nlp.profile import ListenProfile, Target, load_profile
from ediplomacy.pipeline.stage import Stage
from ediplomacy.pipeline.stages.embed import EmbedStage
from ediplomacy.pipeline.stages.entities import EntityStage
from ediplomacy.pipeline.stages.geography import GeographyStage
from ediplomacy.pipeline.stages.language import LanguageStage
from ediplomacy.pipeline.stages.normalize import NormalizeStage
from ediplomacy.pipeline.stages.sentiment import (
    EmotionStage,
    EnsembleEmotionStage,
    EnsembleSentimentStage,
    FineTunedEmotionStage,
    FineTunedSentimentStage,
    SentimentStage,
)
from ediplomacy.pipeline.stages.stance import (
    EnsembleStanceStage,
    FineTunedStanceStage,
    StanceStage,
)
from ediplomacy.pipeline.stages.topics import TopicStage

STAGE_NAMES = (
    "normalize",
    "entities",
    "language",
    "embed_fast",
    "sentiment",
    "emotion",
    "stance",
    "topics",
    "geography",
    "embed_accurate",
)


def build_stages(settings: Settings, names: list[str] | None = None) -> list[Stage]:
    """The stages named (all by default), configured from settings."""
    chosen = names or list(STAGE_NAMES)
    unknown = [name for name in chosen if name not in STAGE_NAMES]
    if unknown:
        from ediplomacy.domain.errors import ConfigurationError

        raise ConfigurationError(
            f"unknown stage {', '.join(unknown)}; choose from {', '.join(STAGE_NAMES)}"
        )

    def profile() -> ListenProfile:
        return load_profile(settings.resolved_listen_profile())

    factories: dict[str, Callable[[], Stage]] = {
        "normalize": NormalizeStage,
        "entities": EntityStage,
        "language": lambda: LanguageStage(settings.languages),
        "embed_fast": lambda: EmbedStage("fast", fast_embedder(settings)),
        "sentiment": lambda: classifier_stage(
            settings,
            frozen=SentimentStage,
            finetuned=FineTunedSentimentStage,
            ensemble=EnsembleSentimentStage,
        ),
        "emotion": lambda: classifier_stage(
            settings,
            frozen=EmotionStage,
            finetuned=FineTunedEmotionStage,
            ensemble=EnsembleEmotionStage,
        ),
        "stance": lambda: stance_stage(settings, profile().targets),
        "topics": lambda: TopicStage(fast_embedder(settings), profile().topics),
        "geography": lambda: GeographyStage(profile().places),
        "embed_accurate": lambda: EmbedStage("accurate", space_embedder(settings, "accurate")),
    }
    return [factories[name]() for name in chosen]


def classifier_stage(
    settings: Settings,
    *,
    frozen: Callable[[Embedder], Stage],
    finetuned: Callable[[FineTunedHeads], Stage],
    ensemble: Callable[[Embedder, FineTunedHeads], Stage],
) -> Stage:
    """The classifier stage (sentiment, emotion, stance) EDIPLOMACY_CLASSIFIER names."""
    if settings.classifier == "frozen":
        return frozen(fast_embedder(settings))
    if settings.classifier == "finetuned":
        return finetuned(finetuned_classifier(settings))
    return ensemble(fast_embedder(settings), finetuned_classifier(settings))


def stance_stage(settings: Settings, targets: Sequence[Target]) -> Stage:
    """The stance stage EDIPLOMACY_CLASSIFIER names, for the listening profile's targets."""
    return classifier_stage(
        settings,
        frozen=lambda embedder: StanceStage(embedder, targets),
        finetuned=lambda classifier: FineTunedStanceStage(classifier, targets),
        ensemble=lambda embedder, classifier: EnsembleStanceStage(embedder, classifier, targets),
    )


def finetuned_classifier(settings: Settings) -> FineTunedHeads:
    """The fine-tuned encoder and heads, built into the data directory on first use."""
    return shared_finetuned(settings.data_dir, threads=settings.model_threads)


def fast_embedder(settings: Settings) -> Embedder:
    """The embedder of the fast space, shared by every stage that reads it."""
    return space_embedder(settings, "fast")
