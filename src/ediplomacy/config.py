"""One typed settings object, read from EDIPLOMACY_* variables; built by the CLI or create_app()."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from ediplomacy.domain.errors import ConfigurationError

DEV_SECRET = "dev-only-secret-change-me"
InteractionKind = Literal["repost", "reply", "quote", "mention"]  # docs/polarization.md
CoordinationNetwork = Literal[  # docs/coordination.md
    "co-repost", "co-tweet", "co-link", "co-hashtag", "co-reply", "co-similar"
]

DEFAULT_LANGUAGES = (
    "id", "en", "ms", "ar", "zh", "es", "fr", "de", "pt", "ja", "ko", "hi", "it", "ru", "tr",
    "th", "vi", "tl", "nl", "ta",
)  # fmt: skip


class Settings(BaseSettings):
    """Every setting of ediplomacy; see docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="EDIPLOMACY_", extra="ignore")

    mode: Literal["dev", "production"] = "dev"
    data_dir: Path = Path("data")
    database_url: str = ""
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    languages: list[str] = Field(default_factory=lambda: list(DEFAULT_LANGUAGES))
    session_hours: int = 12
    lockout_threshold: int = 5
    lockout_minutes: int = 15
    batch_size: int = 5000
    default_locale: Literal["en", "id"] = "en"
    # Listen: models, the listening profile (stance targets, topics, share of voice), alerts.
    fast_embedder: str = "use-multilingual"
    accurate_embedder: str = "e5-onnx"
    model_threads: int = 2
    # Sentiment, emotion and stance: the frozen heads over the fast vector, the fine-tuned
    # encoder and heads, or the mean of the two (`ensemble`); docs/models.md.
    classifier: Literal["frozen", "finetuned", "ensemble"] = "ensemble"
    listen_profile: Path | None = None
    alert_webhook_url: str = ""
    alert_email_to: str = ""
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = "ediplomacy@localhost"
    smtp_starttls: bool = False
    watch_interval_minutes: int = 5
    analyze_in_serve: bool = True
    public_url: str = ""
    # Live collectors: API base URLs (overridable for tests and self-hosted mirrors) and secrets.
    x_api_url: str = "https://api.x.com"
    x_bearer_token: SecretStr = SecretStr("")
    bluesky_api_url: str = "https://public.api.bsky.app"
    bluesky_jetstream_url: str = "wss://jetstream2.us-east.bsky.network/subscribe"
    bluesky_handle: str = ""
    bluesky_app_password: SecretStr = SecretStr("")
    mastodon_url: str = "https://mastodon.social"
    mastodon_access_token: SecretStr = SecretStr("")
    youtube_api_url: str = "https://www.googleapis.com/youtube/v3"
    youtube_api_key: SecretStr = SecretStr("")
    collectors_file: Path | None = None
    # Verify: claim matching (docs/claims.md): threshold (default: the ranker's, chosen on
    # validation), how far back a changed fact-check base re-matches posts, a ranker file.
    claim_match_threshold: float | None = Field(default=None, ge=0.0, le=1.0)
    claim_rematch_days: int = Field(default=7, ge=0, le=3650)
    claim_ranker: Path | None = None
    # Verify: coordinated behaviour (docs/coordination.md): the networks the detector combines,
    # the window, the combined weight from which two accounts are linked, the score of an alert.
    coordination_networks: list[CoordinationNetwork] = Field(
        default_factory=lambda: list[CoordinationNetwork](
            ("co-repost", "co-link", "co-hashtag", "co-reply", "co-similar")
        )
    )
    coordination_window_s: int = Field(default=60, ge=0, le=86_400)
    coordination_min_weight: int = Field(default=3, ge=1)
    coordination_alert_score: float = Field(default=60.0, ge=0.0, le=100.0)
    # Verify: which interactions make the polarization network (docs/polarization.md).
    polarization_interactions: list[InteractionKind] = Field(
        default_factory=lambda: list[InteractionKind](("repost", "reply", "quote"))
    )

    def resolved_database_url(self) -> str:
        """The database URL: EDIPLOMACY_DATABASE_URL, or a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'ediplomacy.db').as_posix()}"

    def resolved_listen_profile(self) -> Path | None:
        """The listening profile: the configured file, else `listen.toml` in the data directory."""
        if self.listen_profile is not None:
            return self.listen_profile
        candidate = self.data_dir / "listen.toml"
        return candidate if candidate.exists() else None

    def check(self) -> Settings:
        """Refuse unsafe settings outside dev mode."""
        if self.mode == "production" and self.secret_key.get_secret_value() == DEV_SECRET:
            raise ConfigurationError(
                "EDIPLOMACY_SECRET_KEY is the development default; set a long random value "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if len(self.secret_key.get_secret_value()) < 16:
            raise ConfigurationError("EDIPLOMACY_SECRET_KEY must be at least 16 characters")
        return self

    @property
    def cookie_secure(self) -> bool:
        return self.mode == "production"
