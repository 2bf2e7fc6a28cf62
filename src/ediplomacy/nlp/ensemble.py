"""The ensemble classifier: the mean of the frozen head's and the fine-tuned head's probabilities.

The two read different things (the frozen head a post's fast vector, in its language, with a
word list for some languages; the fine-tuned head the fine-tuned encoder's vector), so their
errors differ and the plain mean beats either alone on SmSA, EmoT and the UMSAB average (not on
English, Portuguese or Hindi alone; docs/models.md, *The ensemble*). The share is fixed at one
half, not tuned: of the shares tried on validation (0, 1/4, 1/2, 1) one half did best, and a
tuned share would be judged on the sets that chose it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from ediplomacy.domain.errors import ConfigurationError

FROZEN_SHARE = 0.5
NAME = "ensemble"


def blend(
    frozen: npt.NDArray[np.floating],
    frozen_labels: Sequence[str],
    tuned: npt.NDArray[np.floating],
    tuned_labels: Sequence[str],
) -> npt.NDArray[np.float32]:
    """Row-wise `FROZEN_SHARE * frozen + (1 - FROZEN_SHARE) * tuned`, columns in `tuned_labels`
    order (the two heads may list their labels in different orders)."""
    if set(frozen_labels) != set(tuned_labels) or len(frozen_labels) != len(tuned_labels):
        raise ConfigurationError(
            f"the frozen head predicts {'/'.join(frozen_labels)} but the fine-tuned head "
            f"{'/'.join(tuned_labels)}: they cannot be averaged"
        )
    if np.shape(frozen) != np.shape(tuned):
        raise ConfigurationError(
            f"{np.shape(frozen)} frozen probabilities against {np.shape(tuned)} fine-tuned"
        )
    order = [list(frozen_labels).index(label) for label in tuned_labels]
    mixed = FROZEN_SHARE * np.asarray(frozen, dtype=np.float32)[:, order]
    return (mixed + (1 - FROZEN_SHARE) * np.asarray(tuned, dtype=np.float32)).astype(np.float32)
