"""The Gradio chat. It runs the same ``ChatEngine`` as ``assistant ask``.

The handlers (:class:`ChatHandlers`) are plain generators over plain values, so that they
are tested without a browser; ``build_chat`` wires them to components.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant import AssistantError, Filters
from assistant.chat import ChatEngine, TurnResult, Understood
from assistant.corpus import DOC_TYPES
from assistant.feedback import REASONS, FeedbackStore
from assistant.generation import Delta, Progress
from assistant.retrieval import parse_date

from .render import answer_markdown, partial_markdown, sources_html, sources_panel

log = logging.getLogger("assistant.ui")

ROLE_EXAMPLES: dict[str, list[str]] = {
    "Médecin généraliste": [
        "Ai-je le droit de partager des informations sur un patient avec les autres "
        "professionnels du réseau ?",
        "Comment orienter un usager de crack vers un soin résidentiel hors de sa région ?",
    ],
    "Chef de projet départemental": [
        "Qu'est-ce que les crédits des chefs de projet peuvent financer ?",
        "Quelles sont les missions du chef de projet MILDECA ?",
    ],
    "Coordinateur de réseau": [
        "Quelles sont les missions d'un réseau de santé ?",
        "Quelles informations un CSAPA doit-il transmettre dans son rapport d'activité ?",
    ],
}

ASSETS = Path(__file__).with_name("assets")
_SENTENCE_END = re.compile(r"\[\d+\]")
TURNS_KEPT = 5  # sources panels kept per session (older markers stop working)


def new_session() -> dict[str, Any]:
    return {"turns": [], "sections": [], "feedback_id": None}


def parse_filters(
    types: list[str] | None, date_from: str | None, date_to: str | None, in_force: bool
) -> Filters:
    return Filters(
        types=tuple(types or ()),
        date_from=parse_date(date_from, "date de début"),
        date_to=parse_date(date_to, "date de fin"),
        in_force_only=bool(in_force),
    )


@dataclass
class ChatHandlers:
    engine: ChatEngine
    feedback: FeedbackStore

    def respond(
        self,
        message: str,
        chat: list[dict[str, Any]] | None,
        session: dict[str, Any] | None,
        types: list[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        in_force: bool = False,
    ) -> Iterator[tuple[list[dict[str, Any]], str, dict[str, Any], str]]:
        """Yields (chat messages, sources panel HTML, session, textbox) as the turn goes."""
        chat = list(chat or [])
        session = session or new_session()
        turn = len(session["turns"]) + 1
        if not (message or "").strip():
            return
        # The question is shown only once masked.
        chat.append({"role": "user", "content": "…"})
        chat.append({"role": "assistant", "content": "*Recherche dans les documents…*"})
        panel = sources_panel(session["sections"])
        history = [
            m
            for t in session["turns"]
            for m in (t["user"], {"role": "assistant", "content": t["answer"]})
        ]
        understood: Understood | None = None
        try:
            filters = parse_filters(types, date_from, date_to, in_force)
            for event in self.engine.stream(message, history, filters):
                if isinstance(event, Understood):
                    understood = event
                    chat[-2] = {"role": "user", "content": event.masked.text}
                    yield chat, panel, session, ""
                elif isinstance(event, Progress):
                    # Nothing checked yet: the user sees that the answer is being written,
                    # never the draft (it may cite what was not given, or carry an image).
                    chat[-1] = {"role": "assistant", "content": f"*{event.text}*"}
                    yield chat, panel, session, ""
                elif isinstance(event, Delta):
                    # Sentences that passed the check, as they will stay.
                    assert understood is not None
                    chat[-1] = {
                        "role": "assistant",
                        "content": partial_markdown(
                            event.text,
                            turn,
                            understood.reformulation,
                            understood.masked.warning(),
                        ),
                    }
                    yield chat, panel, session, ""
                elif isinstance(event, TurnResult):
                    yield from self._finish(event, chat, session, turn)
        except AssistantError as exc:
            if understood is None:
                chat[-2] = {"role": "user", "content": "(question non traitée)"}
            chat[-1] = {"role": "assistant", "content": f"⚠️ {exc}"}
            yield chat, panel, session, ""

    def _finish(
        self, result: TurnResult, chat: list[dict[str, Any]], session: dict[str, Any], turn: int
    ) -> Iterator[tuple[list[dict[str, Any]], str, dict[str, Any], str]]:
        u = result.understood
        a = result.answer
        content = answer_markdown(a, turn, u.reformulation, result.notice, u.masked.warning())
        if not a.generated and not a.abstained:
            # The extractive answer is ready at once; it still arrives sentence by sentence
            # so that reading starts before the sources panel is drawn.
            for cut in [m.end() for m in _SENTENCE_END.finditer(a.answer)][:-1]:
                part = replace(a, answer=a.answer[:cut], notes=[])
                chat[-1] = {
                    "role": "assistant",
                    "content": answer_markdown(part, turn, u.reformulation, "", u.masked.warning()),
                }
                yield chat, sources_panel(session["sections"]), session, ""
        chat[-1] = {"role": "assistant", "content": content}
        session["turns"].append(
            {
                # As typed (masked): a follow-up is read with the last standalone question,
                # never with an earlier rewriting.
                "user": {"role": "user", "content": u.masked.text},
                "answer": a.answer,
                "bot_index": len(chat) - 1,
                "sources": [c.doc_id for c in a.citations],
                "abstained": a.abstained,
                "generated": a.generated,
            }
        )
        session["sections"] = [*session["sections"], sources_html(a, turn)][-TURNS_KEPT:]
        yield chat, sources_panel(session["sections"]), session, ""

    def like(
        self, index: Any, liked: Any, session: dict[str, Any] | None
    ) -> tuple[int | None, str]:
        """Record a 👍/👎 on the answer at chat position ``index``; (feedback id, message)."""
        session = session or new_session()
        pos = index[0] if isinstance(index, (list, tuple)) else index
        turn = next((t for t in session["turns"] if t["bot_index"] == pos), None)
        if turn is None:
            return None, "Avis non enregistré : réponse introuvable."
        rating = 1 if liked is True or liked == "Like" else -1
        store_q = turn["user"]["content"]
        fid = self.feedback.record(
            rating, turn["sources"], turn["abstained"], store_q, turn["generated"]
        )
        session["feedback_id"] = fid
        if rating > 0:
            return fid, "Merci pour votre avis."
        return fid, "Merci. Pouvez-vous préciser ce qui ne va pas ?"

    def reason(self, reason: str | None, session: dict[str, Any] | None) -> str:
        fid = (session or {}).get("feedback_id")
        if not reason or fid is None:
            return ""
        self.feedback.set_reason(int(fid), reason)
        return "Motif enregistré, merci."


def build_chat(
    handlers: ChatHandlers, title: str = "Assistant addictions", concurrency: int = 4
) -> Any:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    with gr.Blocks(title=title) as demo:
        session = gr.State(new_session())
        with gr.Sidebar(position="left", open=False, label="Filtres"):
            gr.Markdown("### Filtrer la recherche")
            types = gr.CheckboxGroup(
                choices=[(label, key) for key, label in DOC_TYPES.items()],
                label="Types de document",
                elem_id="filter-types",
            )
            date_from = gr.Textbox(label="Depuis le (AAAA-MM-JJ)", elem_id="filter-from")
            date_to = gr.Textbox(label="Jusqu'au (AAAA-MM-JJ)", elem_id="filter-to")
            in_force = gr.Checkbox(label="Textes en vigueur seulement", elem_id="filter-in-force")
        gr.Markdown(
            "# Assistant documentaire — réseaux de soins en addictologie\n"
            "Les réponses viennent des seuls documents du corpus ; chaque phrase renvoie, par "
            "son numéro [n], au passage qui l'appuie. Ne saisissez pas de données permettant "
            "d'identifier un patient.",
            elem_id="intro",
        )
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="Conversation",
                    elem_id="chat",
                    height=520,
                    buttons=["copy"],
                    placeholder="Posez une question, ou choisissez un exemple ci-dessous.",
                )
                with gr.Row():
                    box = gr.Textbox(
                        placeholder="Posez votre question en français…",
                        show_label=False,
                        scale=5,
                        elem_id="question",
                        max_length=4000,
                    )
                    send = gr.Button("Envoyer", variant="primary", scale=1, elem_id="send")
                with gr.Row(visible=True):
                    thanks = gr.Markdown("", elem_id="feedback-msg")
                    reason = gr.Radio(
                        choices=list(REASONS),
                        label="Motif (facultatif)",
                        visible=False,
                        elem_id="feedback-reason",
                    )
                example_buttons = []
                with (
                    gr.Accordion("Exemples de questions", open=True, elem_id="examples"),
                    gr.Row(),
                ):
                    for role, questions in ROLE_EXAMPLES.items():
                        with gr.Column(min_width=200):
                            gr.Markdown(f"**{role}**")
                            for q in questions:
                                example_buttons.append(
                                    (gr.Button(q, size="sm", variant="secondary"), q)
                                )
            with gr.Column(scale=2):
                sources = gr.HTML(sources_panel([]), elem_id="sources", label="Sources")

        # One pool for every event that answers: at most `concurrency` answers at once.
        limits: dict[str, Any] = {"concurrency_limit": concurrency, "concurrency_id": "answers"}
        inputs = [box, chatbot, session, types, date_from, date_to, in_force]
        outputs = [chatbot, sources, session, box]
        for trigger in (box.submit, send.click):
            trigger(handlers.respond, inputs, outputs, api_name=False, **limits)
        for button, q in example_buttons:
            button.click(lambda q=q: q, None, box, api_name=False, queue=False).then(
                handlers.respond, inputs, outputs, api_name=False, **limits
            )

        def on_like(data: gr.LikeData, state: dict[str, Any]) -> tuple[Any, Any]:
            fid, msg = handlers.like(data.index, data.liked, state)
            show = fid is not None and not (data.liked is True or data.liked == "Like")
            return gr.update(value=msg), gr.update(visible=show, value=None)

        # gradio finds LikeData by annotation; postponed annotations hide it.
        on_like.__annotations__["data"] = gr.LikeData
        chatbot.like(on_like, [session], [thanks, reason], api_name=False)
        reason.change(handlers.reason, [reason, session], thanks, api_name=False)

        # A programmatic entry point (gradio_client, scripts): one question, the final
        # answer's Markdown and its sources' HTML.
        def ask_api(question: str) -> Iterator[tuple[str, str]]:
            for chat, panel, _, _ in handlers.respond(question, [], new_session()):
                yield str(chat[-1]["content"]), panel

        api_in = gr.Textbox(visible=False)
        api_answer = gr.Markdown(visible=False)
        api_sources = gr.HTML(visible=False)
        api_in.submit(
            ask_api,
            api_in,
            [api_answer, api_sources],
            api_name="ask",
            **limits,
        )
    return demo


def register(app: Any) -> None:
    """Add ``assistant serve`` to the CLI (entry point ``assistant.commands``)."""
    from assistant.cli import auto_index, make_assistant

    from .server import serve as run_server

    @app.command("serve")
    def serve(
        ctx: typer.Context,
        host: Annotated[
            str | None,
            typer.Option(help="Adresse d'écoute (127.0.0.1 par défaut ; autre : choix explicite)."),
        ] = None,
        port: Annotated[int | None, typer.Option(help="Port (7860 par défaut).")] = None,
    ) -> None:
        """Lance le chat (indexe d'abord le corpus si l'index est vide)."""
        overrides = {k: v for k, v in {"host": host, "port": port}.items() if v is not None}
        assistant = make_assistant(ctx, **overrides)
        auto_index(assistant)
        _ = assistant.lexical  # loaded before the first question
        run_server(assistant)
