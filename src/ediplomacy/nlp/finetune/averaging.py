"""The trained parameters by name, copies of them, and their exponential moving average."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import torch


def trained_parameters(model: torch.nn.Module) -> dict[str, torch.nn.Parameter]:
    """The parameters training changes (LoRA, LayerNorms, heads), by name, in model order."""
    return {name: p for name, p in model.named_parameters() if p.requires_grad}


def snapshot(tensors: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Detached copies, which later steps do not change."""
    return {name: tensor.detach().clone() for name, tensor in tensors.items()}


class WeightAverage:
    """An exponential moving average of the trainable parameters (their "EMA" copy).

    The decay ramps up as (1 + step) / (10 + step) until it reaches `decay`, so that the early
    steps, far from any good weights, are soon forgotten. `swapped()` puts the average into the
    model for scoring, and the trained weights back afterwards.
    """

    def __init__(self, model: torch.nn.Module, decay: float) -> None:
        self.decay = decay
        self.parameters = trained_parameters(model)
        self.average = snapshot(self.parameters)
        self.updates = 0

    @torch.no_grad()
    def update(self) -> None:
        self.updates += 1
        keep = min(self.decay, (1 + self.updates) / (10 + self.updates))
        for name, parameter in self.parameters.items():
            self.average[name].lerp_(parameter.detach(), 1 - keep)

    @contextmanager
    def swapped(self) -> Iterator[None]:
        trained = snapshot(self.parameters)
        with torch.no_grad():
            for name, parameter in self.parameters.items():
                parameter.copy_(self.average[name])
        try:
            yield
        finally:
            with torch.no_grad():
                for name, parameter in self.parameters.items():
                    parameter.copy_(trained[name])
