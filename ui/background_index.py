"""First start: the corpus is indexed in the background while the chat is served, and
the chat says how far it is (one :data:`INDEXING` status per process)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("assistant.ui")


@dataclass
class IndexingStatus:
    """The first indexing, run in the background by ``serve`` on an empty index."""

    running: bool = False
    docs_done: int = 0
    docs_total: int = 0
    failed: str | None = None  # why, for the log; the chat says only that it failed

    @property
    def shown(self) -> bool:
        return self.running or self.failed is not None

    def notice(self) -> str:
        if self.failed is not None:
            return (
                f"**L'indexation a échoué ({self.docs_done}/{self.docs_total} documents)** : "
                "les réponses s'appuient sur les documents indexés ; voir le journal du serveur."
            )
        total = f"{self.docs_done}/{self.docs_total}" if self.docs_total else "…"
        return (
            f"**Indexation en cours ({total} documents)** : les réponses s'appuient sur les "
            "documents déjà indexés ; elles se complètent à mesure que l'indexation avance."
        )


INDEXING = IndexingStatus()  # one per process: ``serve`` serves one assistant


LIVE_REFRESH_S = 10.0  # how often questions see the newly indexed documents


def index_in_background(
    assistant: Any,
    status: IndexingStatus = INDEXING,
    on_progress: Any = None,
    live_every_s: float = LIVE_REFRESH_S,
) -> threading.Thread:
    """Index the corpus in a thread while the chat serves: ``status`` follows it (the
    chat's notice), ``on_progress`` too (progress lines); questions meanwhile are answered
    from what is indexed so far (``Assistant.sync``'s ``live_every_s``)."""
    from assistant.cli_common import err

    status.running, status.failed = True, None
    status.docs_done = status.docs_total = 0

    def follow(p: Any) -> None:
        status.docs_done, status.docs_total = p.docs_done, p.docs_total
        if on_progress is not None:
            on_progress(p)

    def run() -> None:
        try:
            report = assistant.sync(on_progress=follow, live_every_s=live_every_s)
        except Exception as exc:  # said in the chat, told in the log; the chat keeps serving
            log.exception("échec de l'indexation")
            status.failed = str(exc) or type(exc).__name__
            err(f"échec de l'indexation : {status.failed}")
        else:
            err(report.summary())
        finally:
            status.running = False

    thread = threading.Thread(target=run, name="indexation", daemon=True)
    thread.start()
    return thread
