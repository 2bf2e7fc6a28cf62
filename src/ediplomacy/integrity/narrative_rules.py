"""What makes a post part of a narrative: thresholds per vector space, and counter-speech.

The thresholds were measured on the demo scenario (docs/narratives.md gives the figures): the
cosine of a post to a narrative's centroid and to its nearest anchor post (a matched post, or a
post of the copy-paste bursts that formed an unlinked narrative), the cosine under which two
texts of one language are the same variant, and the cosine of a near-duplicate (a copied text).
multilingual-e5-small (the accurate space) puts every text of one topic above 0.85, so its
thresholds sit high; the Universal Sentence Encoder (the fast space) spreads them wider.

Counter-speech (posts that question or refute a claim) talks about the same thing as the claim
and sits close to it in both spaces, so it is never added by closeness: a post whose words
question or debunk (`is it true`, `hoaks`, `#FactCheck`, `谣言`...) is not claim-like.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.listen.bursts import BurstSettings
from ediplomacy.pipeline.textnorm import text_for_models

SPACES = ("accurate", "fast")


class BadNarrativeSettings(EdiplomacyError, ValueError):
    """A narrative setting is out of range."""


@dataclass(frozen=True, slots=True)
class SpaceThresholds:
    """Cosines in one embedding space."""

    centroid: float  # a post this close to a narrative's centroid joins it
    anchor: float  # ... or this close to one of its anchor posts
    variant: float  # two texts of one language this close are one variant
    duplicate: float  # a copied text (copy-paste bursts)
    same_message: float  # two bursts this close say the same thing (in two languages, say)


THRESHOLDS = {
    "accurate": SpaceThresholds(
        centroid=0.945, anchor=0.95, variant=0.955, duplicate=0.97, same_message=0.89
    ),
    "fast": SpaceThresholds(
        centroid=0.68, anchor=0.72, variant=0.72, duplicate=0.90, same_message=0.58
    ),
}

# A narrative grows fast when an hour has at least 10 posts, 3 times its usual hourly count
# (trimmed mean of the week before; 1 at least) and a Poisson tail below 10^-4 (listen.bursts).
GROWTH = BurstSettings(
    baseline_hours=168, min_history_hours=24, min_posts=10, min_ratio=3.0, min_score=4.0
)


@dataclass(frozen=True, slots=True)
class NarrativeSettings:
    """How narratives are built and when their growth raises an alert (docs/narratives.md)."""

    lookback_days: int = 30  # posts older than this before the newest post are not scanned
    # Unlinked narratives: a message copied by several accounts within seconds, more than once.
    burst_window_s: int = 120
    burst_min_accounts: int = 3
    message_min_bursts: int = 2
    message_min_accounts: int = 6
    message_min_repeaters: int = 3
    discovery_max_posts: int = 50_000
    max_anchors: int = 500  # distinct anchor vectors compared per narrative
    # Growth alerts: the burst rule of watch rules on the narrative's hourly posts.
    growth: BurstSettings = GROWTH
    deliver_within_hours: int = 24  # older growth is shown, not sent
    thresholds: tuple[tuple[str, SpaceThresholds], ...] = tuple(THRESHOLDS.items())

    def for_space(self, space: str) -> SpaceThresholds:
        return dict(self.thresholds)[space]

    def with_thresholds(self, space: str, **values: float) -> NarrativeSettings:
        """These settings with some thresholds of one space changed (each between 0 and 1)."""
        for name, value in values.items():
            if not 0.0 < value <= 1.0:
                raise BadNarrativeSettings(f"threshold {name} must be in (0, 1], not {value}")
        changed = dict(self.thresholds)
        changed[space] = replace(changed[space], **values)
        return replace(self, thresholds=tuple(changed.items()))

    def check(self) -> NarrativeSettings:
        if self.lookback_days < 1:
            raise BadNarrativeSettings("lookback_days must be at least 1")
        if self.burst_min_accounts < 2 or self.message_min_bursts < 1:
            raise BadNarrativeSettings(
                "a burst needs 2 accounts or more, a message 1 burst or more"
            )
        return self


# Words that question a claim or refute it, folded (NFKC, case-folded). Latin-script entries
# match on word boundaries; the others (Arabic, Chinese) anywhere in the text.
_COUNTER_LATIN = """
    false|fake news|fakenews|hoax|hoaxes|debunk|debunked|debunking|not true|untrue|
    misinformation|disinformation|factcheck|fact check|fact-check|stop sharing|
    check before you share|check before sharing|do not share|don't share|is it true|is this true|
    can anyone confirm|please clarify|clarification|
    hoaks|awashoaks|tidak benar|disinformasi|misinformasi|klarifikasi|cek fakta|cekfakta|
    jangan ikut menyebarkan|jangan sebar|cek dulu|benar tidak|apakah benar|hoaks atau bukan|
    mohon klarifikasi|bisa konfirmasi|
    berita palsu|beritapalsu|semakfakta|semak fakta|bukan benar|betul ke|boleh sahkan|
    mohon penjelasan|penjelasan:|
    falso|bulo|desmentido|desinformación|verificacióndedatos|verifica antes|es cierto|
    alguien puede confirmar|aclaren|aclaración|
    faux|infox|intox|désinformation|vérifiez avant|est-ce vrai|quelqu'un peut confirmer|
    merci de clarifier|mise au point
"""
_COUNTER_ANYWHERE = (
    "شائعة", "غير صحيح", "كاذب", "مزيف", "تحققوا", "توضيح", "هل صحيح", "نرجو التوضيح",
    "تأكيد", "#تحقق",
    "谣言", "辟谣", "不实", "澄清", "假消息", "事实核查", "核实", "真的要", "证实",
)  # fmt: skip
_LATIN = [item.strip() for item in _COUNTER_LATIN.replace("\n", "").split("|") if item.strip()]
_COUNTER_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(item) for item in sorted(_LATIN, key=len, reverse=True))
    + r")(?!\w)|" + "|".join(re.escape(item) for item in _COUNTER_ANYWHERE)
)  # fmt: skip


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text_for_models(text)).casefold().replace("\u2019", "'")


def is_counter_speech(text: str) -> bool:
    """True when a post questions or refutes a claim rather than spreading it."""
    return _COUNTER_RE.search(fold(text)) is not None
