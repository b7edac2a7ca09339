"""Run ``assistant index`` but stop for good at a chosen point; the test kills this
process there.

- ``swap`` (default): in the middle of a document swap, after the new version is written,
  before the old one is deleted (prints ``SWAP``).
- ``batch``: after the first upsert batch of a document's chunks, before the next one
  (prints ``BATCH``): a document written in several batches is then cut short.
"""

import sys
import time

from assistant import cli
from assistant.search import store as store_module
from assistant.search.store import ChunkStore

mode = sys.argv[1] if len(sys.argv) > 1 else "swap"

if mode == "swap":
    _delete = ChunkStore.delete

    def delete_then_hang(self: ChunkStore, ids, batch: int = 500) -> None:  # type: ignore[no-untyped-def]
        if ids:
            print("SWAP", flush=True)  # the new chunks are in; the old ones not yet deleted
            time.sleep(600)
        _delete(self, ids, batch)

    ChunkStore.delete = delete_then_hang  # type: ignore[method-assign]
elif mode == "batch":
    # Fake vectors (the test reads the index with the same ones): a long document is
    # cut short in seconds, not minutes.
    from assistant import service
    from tests.fakes import HashEmbeddings

    setattr(service, "build_embeddings", lambda *a, **k: HashEmbeddings(size=32))  # noqa: B010
    _upsert = store_module._upsert

    def upsert_one_batch_then_hang(collection, ids, texts, metadatas, embeddings, batch):  # type: ignore[no-untyped-def]
        if collection.name.endswith("-units") or len(ids) <= batch:
            return _upsert(collection, ids, texts, metadatas, embeddings, batch)
        _upsert(
            collection, ids[:batch], texts[:batch], metadatas[:batch], embeddings[:batch], batch
        )
        print("BATCH", flush=True)  # the first batch of chunks is in, not the others
        time.sleep(600)

    setattr(store_module, "_upsert", upsert_one_batch_then_hang)  # noqa: B010
else:
    sys.exit(f"mode inconnu : {mode}")
sys.exit(cli.main(["index"]))
