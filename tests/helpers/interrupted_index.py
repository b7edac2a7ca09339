"""Run ``assistant index`` but stop for good in the middle of a document swap: after the
new version is written, before the old one is deleted. The test kills this process there."""

import sys
import time

from assistant import cli
from assistant.store import ChunkStore

_delete = ChunkStore.delete


def delete_then_hang(self: ChunkStore, ids, batch: int = 500) -> None:  # type: ignore[no-untyped-def]
    if ids:
        print("SWAP", flush=True)  # the new chunks are in; the old ones not yet deleted
        time.sleep(600)
    _delete(self, ids, batch)


ChunkStore.delete = delete_then_hang  # type: ignore[method-assign]
sys.exit(cli.main(["index"]))
