"""``assistant serve``: the chat's entry point (``ui.app:register``). It indexes the corpus
in the background when the index is empty, then serves the app ``ui.server`` builds.

The modules of ``ui/``: ``chat_handlers`` (the turn, votes, saved conversations, no gradio),
``chat_view`` (the Gradio chat page), ``admin`` (the maintainers' tab), ``library`` (the
Documents list and reader), ``render`` and ``conversations`` (what they show and keep),
``background_index`` (first start), ``server`` (the FastAPI app around them). Nothing
imports this module: the circle app ↔ server is gone.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from .background_index import index_in_background


def register(app: Any) -> None:
    """Add ``assistant serve`` to the CLI (entry point ``assistant.commands``)."""
    from assistant.cli_common import ProgressLines, err, make_assistant

    from .server import check_port
    from .server import serve as run_server  # lazy: FastAPI only when serving

    @app.command("serve")  # type: ignore[untyped-decorator]
    def serve(
        ctx: typer.Context,
        host: Annotated[
            str | None,
            typer.Option(help="Adresse d'écoute (127.0.0.1 par défaut ; autre : choix explicite)."),
        ] = None,
        port: Annotated[int | None, typer.Option(help="Port (7860 par défaut).")] = None,
    ) -> None:
        """Lance le chat (indexe le corpus en arrière-plan si l'index est vide)."""
        overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
        assistant = make_assistant(ctx, **overrides)
        check_port(assistant.settings.host, assistant.settings.port)  # before any indexing
        if assistant.store.count() == 0:
            # Served at once; the chat says how far the indexing is and answers from it.
            err(
                "Index vide : indexation du corpus en arrière-plan ; le chat répond à "
                "partir des documents déjà indexés."
            )
            index_in_background(assistant, on_progress=ProgressLines())
        else:
            _ = assistant.lexical  # loaded before the first question
        run_server(assistant)
