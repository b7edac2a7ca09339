"""The Gradio chat. It runs the same ``ChatEngine`` as ``assistant ask``.

The handlers (:class:`ChatHandlers`) are plain generators over plain values, so that they
are tested without a browser; ``build_chat`` wires them to components.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant import AssistantError, Filters
from assistant.answer.generation import Delta, Progress
from assistant.chat import ChatEngine, TurnResult, Understood
from assistant.feedback import COMMENT_MAX, REASONS, FeedbackStore
from assistant.ingest.corpus import DOC_TYPES
from assistant.search.retrieval import parse_date

from . import conversations as convs
from .conversations import citation_record
from .library import document_rows, documents_html, filter_rows
from .render import (
    answer_markdown,
    partial_markdown,
    passage_record,
    sources_html,
    sources_panel,
    turn_sources_html,
)

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
        yield chat, panel, session, ""
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
                "notes": list(a.notes),
                "citations": [citation_record(c) for c in a.citations],
                "maybe": [passage_record(p) for p in a.passages[:3]] if a.abstained else [],
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
        if reason == "autre":
            return "Motif enregistré. Vous pouvez préciser ci-dessous (facultatif)."
        return "Motif enregistré, merci."

    def comment(self, text: str | None, session: dict[str, Any] | None) -> tuple[str, str]:
        """The free text of a « autre » feedback, masked as a question is, then stored;
        (message, new content of the box)."""
        fid = (session or {}).get("feedback_id")
        text = " ".join((text or "").split())[:COMMENT_MAX]
        if fid is None or not text:
            return "", ""
        masked = self.engine.privacy.mask(text)
        store_comment(self.feedback, int(fid), masked.text)
        if masked.changed:
            return "Précision enregistrée (données de patient masquées), merci.", ""
        return "Précision enregistrée, merci.", ""

    def documents(self, query: str | None = "") -> str:
        """The « Documents » view: every document of the base, filtered by ``query``."""
        rows = document_rows(self.engine.assistant.settings.corpus_dir)
        return documents_html(filter_rows(rows, query or ""), len(rows))

    # --- Conversations kept in the browser ------------------------------------------------

    def _view(self, store: dict[str, Any]) -> tuple[Any, ...]:
        """(chat, panel, session, store, list choices, list value, export choices) for
        the current conversation of ``store``."""
        conv = convs.find(store, store["current"])
        session = session_from(conv)
        chat = clean_chat(conv["chat"]) if conv else []
        return (
            chat,
            sources_panel(session["sections"]),
            session,
            store,
            convs.choices(store),
            store["current"] if conv else None,
            convs.export_choices(session["turns"]),
        )

    def restore(self, store: Any) -> tuple[Any, ...]:
        return self._view(convs.valid_store(store))

    def save(
        self, chat: list[dict[str, Any]] | None, session: dict[str, Any] | None, store: Any
    ) -> tuple[dict[str, Any], list[tuple[str, str]], str | None, list[tuple[str, str]]]:
        session = session or new_session()
        store = convs.save_turns(store, chat or [], session["turns"])
        current = store["current"] if convs.find(store, store["current"]) else None
        return store, convs.choices(store), current, convs.export_choices(session["turns"])

    def open(self, conv_id: str | None, store: Any) -> tuple[Any, ...]:
        store = convs.valid_store(store)
        if conv_id and convs.find(store, conv_id):
            store["current"] = conv_id
        return self._view(store)

    def new(self, store: Any) -> tuple[Any, ...]:
        store = convs.valid_store(store)
        store["current"] = convs.new_id()
        return self._view(store)

    def delete(self, store: Any) -> tuple[Any, ...]:
        store = convs.valid_store(store)
        return self._view(convs.delete(store, store["current"]))

    def delete_all(self, store: Any) -> tuple[Any, ...]:
        return self._view(convs.new_store())

    def export(self, which: str | None, fmt: str, session: dict[str, Any] | None) -> str:
        """The JSON the page turns into a download: name, type and content."""
        turns = (session or new_session())["turns"]
        if not turns:
            return ""
        n = int(which) if which and which.isdigit() else None
        stem = f"reponse-{n}" if n else "conversation"
        stamp = dt.date.today().isoformat()
        if fmt == "html":
            content = convs.export_html(turns, n)
            name, mime = f"{stem}-{stamp}.html", "text/html;charset=utf-8"
        else:
            content = convs.export_markdown(turns, n)
            name, mime = f"{stem}-{stamp}.md", "text/markdown;charset=utf-8"
        # A nonce: the same export twice is still a change, so the download runs again.
        return json.dumps(
            {"name": name, "mime": mime, "content": content, "nonce": convs.new_id()},
            ensure_ascii=False,
        )


def store_comment(feedback: FeedbackStore, feedback_id: int, masked: str) -> None:
    """Keep the masked free text of a feedback beside it."""
    feedback.set_comment(feedback_id, masked)


def clean_chat(chat: Any) -> list[dict[str, Any]]:
    """Chat messages from the browser's store: roles and texts only."""
    out = []
    for m in chat if isinstance(chat, list) else []:
        if isinstance(m, dict) and m.get("role") in ("user", "assistant"):
            out.append({"role": m["role"], "content": str(m.get("content", ""))})
    return out


def _clean_turn(t: Any) -> dict[str, Any] | None:
    if not isinstance(t, dict) or not isinstance(t.get("user"), dict):
        return None
    try:
        return {
            "user": {"role": "user", "content": str(t["user"].get("content", ""))},
            "answer": str(t.get("answer", "")),
            "bot_index": int(t.get("bot_index", -1)),
            "sources": [str(x) for x in t.get("sources") or []],
            "abstained": bool(t.get("abstained")),
            "generated": bool(t.get("generated")),
            "notes": [str(x) for x in t.get("notes") or []],
            "citations": [c for c in t.get("citations") or [] if isinstance(c, dict)],
            "maybe": [p for p in t.get("maybe") or [] if isinstance(p, dict)],
        }
    except (TypeError, ValueError):
        return None


def session_from(conv: dict[str, Any] | None) -> dict[str, Any]:
    """The server's session for a conversation reopened from the browser's store: its
    turns, and the sources panels of the last ones drawn again (escaped)."""
    session = new_session()
    if conv is None:
        return session
    turns = [t for t in (_clean_turn(x) for x in conv.get("turns") or []) if t]
    session["turns"] = turns
    sections = []
    for i, t in enumerate(turns, start=1):
        cites = [c for c in (convs.citation_from(r) for r in t["citations"]) if c]
        sections.append(turn_sources_html(t["abstained"], cites, t["maybe"], i))
    session["sections"] = sections[-TURNS_KEPT:]
    return session


STORE_KEY = "assistant-addictions-conversations"
# gr.BrowserState encrypts with this key in the page itself: it is no secret (the
# browser holds both), but a fixed one lets conversations survive a server restart.
STORE_SECRET = "assistant-addictions-conversations-v1"

DOWNLOAD_JS = """(payload) => {
  if (!payload) return;
  const d = JSON.parse(payload);
  const url = URL.createObjectURL(new Blob([d.content], { type: d.mime }));
  const a = document.createElement("a");
  a.href = url; a.download = d.name; a.style.display = "none";
  document.body.appendChild(a); a.click();
  setTimeout(() => { URL.revokeObjectURL(url); a.remove(); }, 2000);
}"""


def build_chat(
    handlers: ChatHandlers, title: str = "Assistant addictions", concurrency: int = 4
) -> Any:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    with gr.Blocks(title=title) as demo:
        session = gr.State(new_session())
        store = gr.BrowserState(convs.new_store(), storage_key=STORE_KEY, secret=STORE_SECRET)
        gr.Markdown(
            "# Assistant documentaire — réseaux de soins en addictologie\n"
            "Les réponses viennent des seuls documents du corpus ; chaque phrase renvoie, par "
            "son numéro [n], au passage qui l'appuie. Ne saisissez pas de données permettant "
            "d'identifier un patient. Vos conversations restent dans ce navigateur.",
            elem_id="intro",
        )
        # Shown while the first indexing runs in the background (``serve`` on an empty
        # index); polled, and hidden with its timer once the indexing is over.
        notice = gr.Markdown(INDEXING.notice(), visible=INDEXING.shown, elem_id="indexing-notice")
        poll = gr.Timer(2.0, active=INDEXING.running)
        with gr.Tabs(elem_id="tabs"):
            with (
                gr.Tab("Conversation", id="tab-chat", elem_id="tab-chat"),
                gr.Row(equal_height=False),
            ):
                with gr.Column(scale=1, min_width=220, elem_id="conv-column"):
                    new_btn = gr.Button(
                        "Nouvelle conversation", variant="secondary", elem_id="new-conv"
                    )
                    conv_list = gr.Radio(
                        choices=[],
                        label="Conversations enregistrées dans ce navigateur",
                        elem_id="conv-list",
                    )
                    with gr.Row():
                        del_btn = gr.Button("Supprimer celle-ci", size="sm", elem_id="conv-delete")
                        del_all = gr.Button(
                            "Tout supprimer",
                            size="sm",
                            variant="stop",
                            elem_id="conv-delete-all",
                        )
                    with gr.Accordion("Exporter", open=False, elem_id="export"):
                        export_which = gr.Dropdown(
                            choices=[("Toute la conversation", "all")],
                            value="all",
                            label="Quoi exporter",
                            elem_id="export-which",
                        )
                        export_md = gr.Button(
                            "Télécharger en Markdown", size="sm", elem_id="export-md"
                        )
                        export_html = gr.Button(
                            "Page imprimable (HTML)", size="sm", elem_id="export-html"
                        )
                        payload = gr.Textbox(visible="hidden", elem_id="export-payload")
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
                            label="Votre question",
                            show_label=False,
                            scale=5,
                            elem_id="question",
                            max_length=4000,
                        )
                        send = gr.Button("Envoyer", variant="primary", scale=1, elem_id="send")
                        stop = gr.Button(
                            "Arrêter", variant="stop", scale=1, visible=False, elem_id="stop"
                        )
                    gr.Markdown(
                        "Raccourcis : <kbd>Alt</kbd>+<kbd>N</kbd> nouvelle conversation, "
                        "<kbd>Alt</kbd>+<kbd>Q</kbd> ou <kbd>/</kbd> aller à la question.",
                        elem_id="shortcuts",
                    )
                    with gr.Accordion("Filtres", open=False, elem_id="filters"):
                        types = gr.CheckboxGroup(
                            choices=[(label, key) for key, label in DOC_TYPES.items()],
                            label="Types de document",
                            elem_id="filter-types",
                        )
                        with gr.Row():
                            date_from = gr.DateTime(
                                include_time=False,
                                type="string",
                                label="Depuis le",
                                elem_id="filter-from",
                            )
                            date_to = gr.DateTime(
                                include_time=False,
                                type="string",
                                label="Jusqu'au",
                                elem_id="filter-to",
                            )
                        in_force = gr.Checkbox(
                            label="Textes en vigueur seulement", elem_id="filter-in-force"
                        )
                    with gr.Row(visible=True):
                        thanks = gr.Markdown("", elem_id="feedback-msg")
                        reason = gr.Radio(
                            choices=list(REASONS),
                            label="Motif (facultatif)",
                            visible=False,
                            elem_id="feedback-reason",
                        )
                    with gr.Row(visible=False, elem_id="feedback-other") as other_row:
                        other = gr.Textbox(
                            label="Précisez (les données de patient seront masquées)",
                            max_length=COMMENT_MAX,
                            scale=4,
                            elem_id="feedback-comment",
                        )
                        other_send = gr.Button(
                            "Envoyer la précision", scale=1, elem_id="feedback-comment-send"
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
            with gr.Tab("Documents", id="tab-docs", elem_id="tab-docs"):
                gr.Markdown(
                    "Tous les documents de la base. Un titre ouvre le document dans le lecteur."
                )
                doc_query = gr.Textbox(
                    label="Rechercher un document (titre, type, date, émetteur, statut)",
                    elem_id="doc-search",
                )
                doc_table = gr.HTML(handlers.documents, elem_id="doc-list")

        # One pool for every event that answers: at most `concurrency` answers at once.
        limits: dict[str, Any] = {"concurrency_limit": concurrency, "concurrency_id": "answers"}
        inputs = [box, chatbot, session, types, date_from, date_to, in_force]
        outputs = [chatbot, sources, session, box]
        view = [chatbot, sources, session, store, conv_list, export_which]

        def view_updates(values: tuple[Any, ...]) -> tuple[Any, ...]:
            chat, panel, sess, st, choices, current, exports = values
            return (
                chat,
                panel,
                sess,
                st,
                gr.update(choices=choices, value=current),
                gr.update(choices=exports, value="all"),
            )

        def saved(chat: Any, sess: Any, st: Any) -> tuple[Any, ...]:
            st, choices, current, exports = handlers.save(chat, sess, st)
            return (
                st,
                gr.update(choices=choices, value=current),
                gr.update(choices=exports, value="all"),
                gr.update(visible=True),
                gr.update(visible=False),
            )

        def busy() -> tuple[Any, Any]:
            return gr.update(visible=False), gr.update(visible=True)

        answering = []
        for trigger in (box.submit, send.click):
            answering.append(
                trigger(busy, None, [send, stop], api_visibility="private", queue=False).then(
                    handlers.respond, inputs, outputs, api_visibility="private", **limits
                )
            )
        for button, q in example_buttons:
            answering.append(
                button.click(lambda q=q: q, None, box, api_visibility="private", queue=False)
                .then(busy, None, [send, stop], api_visibility="private", queue=False)
                .then(handlers.respond, inputs, outputs, api_visibility="private", **limits)
            )
        for ev in answering:
            ev.then(
                saved,
                [chatbot, session, store],
                [store, conv_list, export_which, send, stop],
                api_visibility="private",
                queue=False,
            )

        def stopped(chat: list[dict[str, Any]] | None) -> tuple[Any, ...]:
            chat = list(chat or [])
            if chat and chat[-1].get("role") == "assistant":
                text = str(chat[-1].get("content", "")).removesuffix(" ▌")
                chat[-1] = {"role": "assistant", "content": text + "\n\n*(réponse interrompue)*"}
            return chat, gr.update(visible=True), gr.update(visible=False)

        stop.click(
            stopped,
            chatbot,
            [chatbot, send, stop],
            cancels=answering,
            api_visibility="private",
            queue=False,
        )

        demo.load(
            lambda st: view_updates(handlers.restore(st)), store, view, api_visibility="private"
        )

        def indexing_state() -> tuple[Any, Any]:
            return (
                gr.update(value=INDEXING.notice(), visible=INDEXING.shown),
                gr.Timer(active=INDEXING.running),
            )

        for status_trigger in (demo.load, poll.tick):
            status_trigger(
                indexing_state,
                None,
                [notice, poll],
                api_visibility="private",
                queue=False,
                show_progress="hidden",
            )
        conv_list.input(
            lambda cid, st: view_updates(handlers.open(cid, st)),
            [conv_list, store],
            view,
            api_visibility="private",
        )
        new_btn.click(
            lambda st: view_updates(handlers.new(st)), store, view, api_visibility="private"
        )
        # The chat's own « clear » icon starts a new conversation, as the button does: the
        # one shown stays in the list (deleting is « Supprimer celle-ci »).
        chatbot.clear(
            lambda st: view_updates(handlers.new(st)), store, view, api_visibility="private"
        )
        del_btn.click(
            lambda st: view_updates(handlers.delete(st)), store, view, api_visibility="private"
        )
        del_all.click(
            lambda st: view_updates(handlers.delete_all(st)),
            store,
            view,
            api_visibility="private",
            js="(st) => { if (!confirm('Supprimer toutes les conversations de ce navigateur ?'))"
            " throw new Error('annulé'); return st; }",
        )
        export_md.click(
            lambda w, sess: handlers.export(w, "md", sess),
            [export_which, session],
            payload,
            api_visibility="private",
        ).then(None, payload, None, js=DOWNLOAD_JS)
        export_html.click(
            lambda w, sess: handlers.export(w, "html", sess),
            [export_which, session],
            payload,
            api_visibility="private",
        ).then(None, payload, None, js=DOWNLOAD_JS)
        for doc_trigger in (doc_query.change, doc_query.submit):
            doc_trigger(handlers.documents, doc_query, doc_table, api_visibility="private")

        def on_like(data: gr.LikeData, state: dict[str, Any]) -> tuple[Any, Any, Any]:
            fid, msg = handlers.like(data.index, data.liked, state)
            show = fid is not None and not (data.liked is True or data.liked == "Like")
            return (
                gr.update(value=msg),
                gr.update(visible=show, value=None),
                gr.update(visible=False),
            )

        # gradio finds LikeData by annotation; postponed annotations hide it.
        on_like.__annotations__["data"] = gr.LikeData
        chatbot.like(on_like, [session], [thanks, reason, other_row], api_visibility="private")

        def on_reason(r: str | None, state: dict[str, Any]) -> tuple[Any, Any]:
            return handlers.reason(r, state), gr.update(visible=r == "autre")

        reason.change(on_reason, [reason, session], [thanks, other_row], api_visibility="private")
        for trig in (other.submit, other_send.click):
            trig(handlers.comment, [other, session], [thanks, other], api_visibility="private")

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
    from assistant.cli import err

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


def register(app: Any) -> None:
    """Add ``assistant serve`` to the CLI (entry point ``assistant.commands``)."""
    from assistant.cli import ProgressLines, err, make_assistant

    from .server import serve as run_server

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
