"""The Gradio chat. It calls the same ``Assistant`` the CLI calls."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from assistant import Assistant, AssistantError

from .render import answer_markdown, sources_markdown

EXAMPLES = [
    "Ai-je le droit de partager des informations sur un patient avec les autres "
    "professionnels du réseau ?",
    "Qu'est-ce que les crédits des chefs de projet peuvent financer ?",
    "Comment orienter un usager de crack vers un soin résidentiel hors de sa région ?",
]


def respond(assistant: Assistant, message: str) -> tuple[str, str]:
    """One turn: (answer Markdown, sources Markdown). Errors become a one-line message."""
    try:
        answer = assistant.ask(message)
    except AssistantError as exc:
        return f"⚠️ {exc}", ""
    return answer_markdown(answer), sources_markdown(answer)


def build_app(assistant: Assistant) -> Any:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    with gr.Blocks(title="Assistant addictions — réseaux de soins") as demo:
        gr.Markdown(
            "# Assistant documentaire — réseaux de soins en addictologie\n"
            "Chaque phrase de la réponse cite le passage dont elle vient."
        )
        sources = gr.Markdown(elem_id="sources")

        def chat(message: str, history: list[dict[str, Any]]) -> tuple[str, str]:
            return respond(assistant, message)

        gr.ChatInterface(
            fn=chat,
            additional_outputs=[sources],
            examples=EXAMPLES,
            textbox=gr.Textbox(
                placeholder="Posez votre question en français…", submit_btn="Envoyer"
            ),
        )
    return demo


def launch(assistant: Assistant, host: str = "127.0.0.1", port: int = 7860) -> None:
    demo = build_app(assistant)
    demo.queue(max_size=32).launch(
        server_name=host,
        server_port=port,
        enable_monitoring=False,
        max_file_size="20mb",
        show_error=False,
    )


def register(app: Any) -> None:
    """Add ``assistant serve`` to the CLI (entry point ``assistant.commands``)."""
    from assistant.cli import auto_index, make_assistant

    @app.command("serve")
    def serve(
        ctx: typer.Context,
        host: Annotated[str, typer.Option(help="Adresse d'écoute (127.0.0.1 par défaut).")] = (
            "127.0.0.1"
        ),
        port: Annotated[int, typer.Option(help="Port.")] = 7860,
    ) -> None:
        """Lance le chat (indexe d'abord le corpus si l'index est vide)."""
        assistant = make_assistant(ctx)
        auto_index(assistant)
        _ = assistant.lexical  # load before the first question
        print(f"Chat sur http://{host}:{port}")
        launch(assistant, host=host, port=port)
