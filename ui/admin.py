"""The maintainers' tab: add a document with its metadata, see the corpus, sync.

Served under /admin, always behind a password (see server.py). The logic is
``assistant.corpus_admin``'s; this module only draws it and checks uploads.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant import Assistant, AssistantError
from assistant import corpus_admin as admin
from assistant.errors import DocumentError, InputError
from assistant.ingest.corpus import DOC_TYPES, STATUS_LABELS, SUPPORTED_SUFFIXES, Status
from assistant.ingest.loaders import FORMAT_NAMES, check_document

UPLOAD_LABEL = f"Document ({FORMAT_NAMES})"
NO_TYPE = "⚠️ Choisissez le type du document (liste « Type ») avant d'ajouter."
COLUMNS = ["Document", "Titre", "Type", "Date", "Statut", "Pages", "Passages", "Index"]


def check_upload(path: Path, max_bytes: int) -> None:
    """Server-side check of an upload: the browser's file filter is only a convenience."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{path.name} : format refusé (formats admis : {', '.join(SUPPORTED_SUFFIXES)})"
        )
    # The same rules as `corpus add` and indexing (size, PDF header, NUL bytes), plus
    # UTF-8 for what a browser sends.
    try:
        check_document(path, max_bytes, utf8_only=True)
    except DocumentError as exc:
        raise InputError(str(exc)) from None


@dataclass
class AdminHandlers:
    assistant: Assistant
    max_upload_bytes: int
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def rows(self) -> list[list[Any]]:
        out = []
        for r in admin.status_rows(self.assistant):
            if r.problem:
                state = f"⚠ {r.problem}"
            elif r.current:
                state = "à jour"
            elif r.indexed:
                state = "à resynchroniser"
            else:
                state = "non indexé"
            out.append(
                [
                    r.doc_id,
                    r.title,
                    DOC_TYPES.get(r.type, r.type),
                    r.date,
                    STATUS_LABELS.get(r.status, r.status),
                    r.pages or "",
                    r.chunks,
                    state,
                ]
            )
        return out

    def propose(self, file: str | None) -> tuple[str, str | None, str, str, str, str, str]:
        """Read an upload; (title, type, date, issuer, reference, status, message)."""
        if not file:
            return "", None, "", "", "", Status.EN_VIGUEUR.value, "Choisissez un fichier."
        try:
            path = Path(file)
            check_upload(path, self.max_upload_bytes)
            draft = admin.prepare_add(
                path, {}, self.assistant.settings.corpus_dir, max_bytes=self.max_upload_bytes
            )
        except AssistantError as exc:
            return "", None, "", "", "", Status.EN_VIGUEUR.value, f"⚠️ {exc}"
        m = draft.meta
        type_ = str(m["type"]) if m.get("type") in DOC_TYPES else None
        todo = "vérifiez-les" if type_ else "type non deviné : choisissez-le, vérifiez le reste"
        return (
            str(m.get("title", "")),
            type_,
            str(m.get("date") or ""),
            str(m.get("issuer", "")),
            str(m.get("reference", "")),
            str(m.get("status") or Status.EN_VIGUEUR.value),
            f"Métadonnées proposées pour « {draft.doc_id} » : {todo}, puis ajoutez.",
        )

    def add(
        self,
        file: str | None,
        title: str,
        type_: str | None,
        date: str,
        issuer: str,
        reference: str,
        status: str,
        replaced_by: str,
    ) -> tuple[str, list[list[Any]]]:
        if not file:
            return "⚠️ Choisissez un fichier.", self.rows()
        if not type_:
            return NO_TYPE, self.rows()
        fields = {
            "title": title,
            "type": type_,
            "date": date,
            "issuer": issuer,
            "reference": reference,
            "status": status,
            "replaced_by": replaced_by,
        }
        try:
            path = Path(file)
            check_upload(path, self.max_upload_bytes)
            with self._lock:
                draft = admin.prepare_add(
                    path,
                    fields,
                    self.assistant.settings.corpus_dir,
                    max_bytes=self.max_upload_bytes,
                )
                entry = admin.commit_add(draft, self.assistant.settings.corpus_dir)
                report = self.assistant.sync()
        except AssistantError as exc:
            return f"⚠️ {exc}", self.rows()
        return f"« {entry.doc_id} » ajouté. {report.summary()}", self.rows()

    def sync(self) -> tuple[str, list[list[Any]]]:
        with self._lock:
            try:
                # tqdm's bar inside sync is what the admin page's progress bar follows.
                report = self.assistant.sync(progress=True)
            except AssistantError as exc:
                return f"⚠️ {exc}", self.rows()
        return report.summary(), self.rows()


def build_admin(handlers: AdminHandlers) -> Any:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    with gr.Blocks(title="Administration du corpus") as demo:
        gr.Markdown("# Administration du corpus\n[← Retour au chat](/)")
        with gr.Tab("Corpus"):
            table = gr.Dataframe(
                value=handlers.rows,
                headers=COLUMNS,
                column_widths=["20%", "34%", "8%", "9%", "8%", "5%", "6%", "10%"],
                interactive=False,
                wrap=True,
                elem_id="corpus-table",
            )
            with gr.Row():
                refresh = gr.Button("Actualiser")
                sync = gr.Button("Synchroniser l'index", variant="primary", elem_id="sync")
            sync_msg = gr.Markdown(elem_id="sync-msg")
        with gr.Tab("Ajouter un document"):
            upload = gr.File(
                label=UPLOAD_LABEL,
                file_types=list(SUPPORTED_SUFFIXES),
                type="filepath",
                elem_id="upload",
            )
            gr.Markdown(
                "Les métadonnées sont proposées dès l'envoi du fichier ; vérifiez-les, "
                "puis ajoutez.",
                elem_id="propose-hint",
            )
            with gr.Row():
                title = gr.Textbox(label="Titre")
                type_ = gr.Dropdown(
                    choices=[(label, key) for key, label in DOC_TYPES.items()], label="Type"
                )
            with gr.Row():
                date = gr.Textbox(label="Date (AAAA-MM-JJ)")
                issuer = gr.Textbox(label="Émetteur")
                reference = gr.Textbox(label="Référence")
            with gr.Row():
                status = gr.Radio(
                    choices=[(label, key) for key, label in STATUS_LABELS.items()],
                    value=Status.EN_VIGUEUR.value,
                    label="Statut",
                )
                replaced_by = gr.Textbox(label="Remplacé par (identifiant)")
            # Enabled once the proposal has filled the form and a type is chosen: what is
            # saved is what is shown.
            add = gr.Button(
                "Ajouter au corpus et indexer", variant="primary", interactive=False, elem_id="add"
            )
            add_msg = gr.Markdown(elem_id="add-msg")
            # Whether the upload was read and proposed: « Ajouter » needs it and a type.
            proposal_read = gr.State(False)

        refresh.click(handlers.rows, None, table, api_visibility="private")

        # The Progress default makes gradio follow the tqdm bar of the sync.
        def run_sync(progress: gr.Progress = gr.Progress(track_tqdm=True)) -> Any:  # noqa: B008
            return handlers.sync()

        sync.click(run_sync, None, [sync_msg, table], api_name="sync", concurrency_limit=1)

        def reading() -> tuple[Any, Any, bool]:
            return gr.update(interactive=False), gr.update(value="Lecture du document…"), False

        def proposed(file: str | None) -> tuple[Any, ...]:
            values = handlers.propose(file)
            read = bool(file) and not values[-1].startswith("⚠️")
            # Enabled only with a type: without one the addition could only fail.
            return (*values, gr.update(interactive=read and bool(values[1])), read)

        def type_chosen(read: bool, kind: str | None) -> Any:
            return gr.update(interactive=bool(read) and bool(kind))

        upload.upload(
            reading, None, [add, add_msg, proposal_read], api_visibility="private", queue=False
        ).then(
            proposed,
            upload,
            [title, type_, date, issuer, reference, status, add_msg, add, proposal_read],
            api_visibility="private",
        )
        type_.change(
            type_chosen, [proposal_read, type_], add, api_visibility="private", queue=False
        )
        upload.clear(
            lambda: (gr.update(interactive=False), "", False),
            None,
            [add, add_msg, proposal_read],
            api_visibility="private",
            queue=False,
        )
        add.click(
            handlers.add,
            [upload, title, type_, date, issuer, reference, status, replaced_by],
            [add_msg, table],
            api_visibility="private",
            concurrency_limit=1,
        )
    return demo
