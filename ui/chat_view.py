"""The Gradio chat page: ``build_chat`` wires :class:`ChatHandlers` to components (the
conversation, sources, filters, saved conversations, Documents)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.feedback import COMMENT_MAX, REASONS
from assistant.ingest.corpus import DOC_TYPES

from . import conversations as convs
from .background_index import INDEXING
from .chat_handlers import ChatHandlers, new_session
from .render import (
    sources_panel,
)

# Questions the documents answer, one kind per role; each is asked in
# tests/test_interface_examples.py, which pins the passage it must be answered from.
ROLE_EXAMPLES: dict[str, list[str]] = {
    "Médecin généraliste": [
        "Ai-je le droit de partager des informations sur un patient avec les autres "
        "professionnels du réseau ?",
        "Comment orienter un usager de crack vers un soin résidentiel hors de sa région ?",
    ],
    "Chef de projet départemental": [
        "Les crédits interministériels peuvent-ils financer les frais des stages de "
        "sensibilisation ?",
        "Le chef de projet départemental peut-il déléguer sa mission de coordination ?",
    ],
    "Coordinateur de réseau": [
        "Quelles sont les missions d'un réseau de santé ?",
        "Qui peut solliciter un dispositif d'appui à la coordination ?",
    ],
}


ASSETS = Path(__file__).with_name("assets")


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
                text = convs.message_text(chat[-1].get("content", "")).removesuffix(" ▌")
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
        # Leaving the conversation shown (another one, a new one, a deletion) cancels the
        # answer being computed: it would land, and be saved, in the conversation left
        # (measured by a tester: « Nouvelle conversation » clicked while answering was
        # ignored, and the next question joined the old conversation). The interrupted
        # exchange is not kept, as after « Arrêter ».
        leaving = [*view, send, stop]

        def left(values: tuple[Any, ...]) -> tuple[Any, ...]:
            return (*view_updates(values), gr.update(visible=True), gr.update(visible=False))

        conv_list.input(
            lambda cid, st: left(handlers.open(cid, st)),
            [conv_list, store],
            leaving,
            cancels=answering,
            api_visibility="private",
        )
        new_btn.click(
            lambda st: left(handlers.new(st)),
            store,
            leaving,
            cancels=answering,
            api_visibility="private",
        )
        # The chat's own « clear » icon starts a new conversation, as the button does: the
        # one shown stays in the list (deleting is « Supprimer celle-ci »).
        chatbot.clear(
            lambda st: left(handlers.new(st)),
            store,
            leaving,
            cancels=answering,
            api_visibility="private",
        )
        del_btn.click(
            lambda st: left(handlers.delete(st)),
            store,
            leaving,
            cancels=answering,
            api_visibility="private",
        )
        del_all.click(
            lambda st: left(handlers.delete_all(st)),
            store,
            leaving,
            cancels=answering,
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
