"""Run `prepare_batches` in a second process, so parsing and writing use both cores.

The queue between the two holds a few batches at most, so memory stays bounded. If the
writing process dies (even by kill -9), the reading process notices and exits on its own.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Iterator
from typing import Any

from ediplomacy.domain.errors import EdiplomacyError
from ediplomacy.ingest.batches import PreparedBatch, prepare_batches
from ediplomacy.ingest.gcpolicy import bulk_allocation

QUEUED_BATCHES = 4
POLL_SECONDS = 1.0


def _put(channel: Any, item: tuple[str, Any], parent: int) -> None:
    while True:
        try:
            channel.put(item, timeout=POLL_SECONDS)
            return
        except queue.Full:
            if os.getppid() != parent:  # the writer is gone: nobody will read this
                os._exit(1)


def _produce(channel: Any, parent: int, path: str, fmt: str, options: dict[str, Any]) -> None:
    try:
        with bulk_allocation():
            for batch in prepare_batches(path, fmt, **options):
                _put(channel, ("batch", batch), parent)
        _put(channel, ("done", None), parent)
    except BaseException as error:  # handed to the writer, which reports it
        _put(channel, ("error", error), parent)


def prepare_batches_in_child(path: str, fmt: str, **options: Any) -> Iterator[PreparedBatch]:
    """The same batches as prepare_batches(path, fmt, **options), made by a child process."""
    context = multiprocessing.get_context("spawn")  # no fork: the writer holds threads and locks
    channel = context.Queue(maxsize=QUEUED_BATCHES)
    child = context.Process(
        target=_produce, args=(channel, os.getpid(), path, fmt, options), daemon=True
    )
    child.start()
    try:
        while True:
            try:
                kind, item = channel.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if not child.is_alive():
                    raise EdiplomacyError(
                        f"{path}: the reading process stopped unexpectedly (exit code "
                        f"{child.exitcode}); run the same command again to continue"
                    ) from None
                continue
            if kind == "batch":
                yield item
            elif kind == "done":
                return
            else:
                raise item
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
        channel.close()
