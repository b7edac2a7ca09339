"""``assistant corpus``: add a document with its metadata, list, show, remove (over
:mod:`assistant.corpus_admin`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .cli_common import confirm, err, make_assistant, sync_with_progress
from .errors import InputError

corpus_app = typer.Typer(
    help="Gérer le corpus : ajouter, lister, montrer, retirer.", no_args_is_help=True
)


@corpus_app.command("add")
def corpus_add(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="Fichier(s) .pdf, .txt, .md, .html, .docx ou .odt.")
    ],
    title: Annotated[str | None, typer.Option()] = None,
    type_: Annotated[str | None, typer.Option("--type")] = None,
    date: Annotated[str | None, typer.Option(help="AAAA-MM-JJ")] = None,
    issuer: Annotated[str | None, typer.Option()] = None,
    reference: Annotated[str | None, typer.Option()] = None,
    status: Annotated[str | None, typer.Option(help="en_vigueur, remplace ou abroge")] = None,
    replaced_by: Annotated[str | None, typer.Option("--replaced-by")] = None,
    doc_id: Annotated[
        str | None, typer.Option("--id", help="Identifiant (un seul fichier).")
    ] = None,
    password: Annotated[str | None, typer.Option(help="Mot de passe d'un PDF chiffré.")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Accepter sans confirmer.")] = False,
) -> None:
    """Copie des documents dans le corpus avec leurs métadonnées, puis les indexe."""
    from . import corpus_admin
    from .ingest.corpus import validate_type
    from .search.retrieval import parse_date

    if doc_id is not None:
        if len(files) > 1:
            raise InputError("--id ne va qu'avec un seul fichier")
        corpus_admin.check_id(doc_id)  # a path would write outside the corpus
    if date:
        parse_date(date, "--date")
    overrides = {
        "title": title,
        "type": validate_type(type_) if type_ else None,
        "date": date,
        "issuer": issuer,
        "reference": reference,
        "status": status,
        "replaced_by": replaced_by,
    }
    assistant = make_assistant(ctx, corpus_missing_ok=True)  # the first addition creates it
    corpus_dir = assistant.settings.corpus_dir
    drafts = [
        corpus_admin.prepare_add(
            f,
            overrides,
            corpus_dir,
            doc_id,
            password,
            max_bytes=assistant.settings.max_upload_bytes,
        )
        for f in files
    ]
    if len({d.doc_id for d in drafts}) < len(drafts):
        raise InputError("deux fichiers donneraient le même identifiant")
    for d in drafts:
        corpus_admin.validate(
            d.meta, d.source.name
        )  # a missing field fails before anything is written
        print(f"{d.source.name} → {d.doc_id}")
        for key, value in d.meta.items():
            print(f"  {key} = {value}")
        for note in d.proposal.notes:
            print(f"  ({note})")
    if not yes:
        if not sys.stdin.isatty():
            raise InputError("confirmation requise : relancer avec --yes")
        if not confirm("Ajouter ces métadonnées au corpus ?"):
            raise typer.Exit(1)
    for d in drafts:
        corpus_admin.commit_add(d, corpus_dir)
    report = sync_with_progress(assistant)
    for warning in report.warnings:
        err(f"attention : {warning}")
    print(report.summary())


@corpus_app.command("list")
def corpus_list(ctx: typer.Context) -> None:
    """Tableau des documents : type, date, statut, pages, passages, indexé et à jour."""
    from . import corpus_admin

    rows = corpus_admin.status_rows(make_assistant(ctx))
    head = ("id", "titre", "type", "date", "statut", "pages", "passages", "indexé", "à jour")
    table = [head] + [
        (
            r.doc_id,
            _cut(r.title or r.problem, 50),
            r.type,
            r.date,
            r.status,
            str(r.pages or "—")
            + (f" (sans texte : {r.blank_pages})" if r.blank_pages else "")
            + (f" (OCR : {r.ocr_pages})" if r.ocr_pages else ""),
            str(r.chunks),
            "oui" if r.indexed else "non",
            "oui" if r.current else "non",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    if any(r.blank_pages for r in rows) and (hint := corpus_admin.ocr_hint()):
        err(f"attention : {hint}")


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


@corpus_app.command("show")
def corpus_show(ctx: typer.Context, doc_id: str) -> None:
    """Métadonnées, sections et passages (avec leurs pages) d'un document."""
    from . import corpus_admin

    info = corpus_admin.show(make_assistant(ctx), doc_id)
    print(f"{info['doc_id']} ({info['file']})")
    for key, value in info["metadata"].items():
        if value not in ("", None):
            print(f"  {key} : {value}")
    print("Sections :")
    for sec in info["sections"] or ["(aucune)"]:
        print(f"  - {sec}")
    print(f"Passages ({len(info['chunks'])}) :")
    for c in info["chunks"]:
        where = f"p. {c['page_label'] or c['page']}" if c["page"] else "—"
        if c["page"] and c.get("page_end"):  # a passage across a page break: "p. 1–2"
            where += f"–{c.get('page_end_label') or c['page_end']}"
        print(f"  [{where}] {_cut(' '.join(c['text'].split()), 100)}")


@corpus_app.command("remove")
def corpus_remove(ctx: typer.Context, doc_id: str) -> None:
    """Retire un document du corpus et de l'index."""
    from . import corpus_admin

    report = corpus_admin.remove(make_assistant(ctx), doc_id)
    print(report.summary())
    if report.chunks_total == 0:
        # Removing the last document is allowed: say what it leaves.
        print(
            "le corpus est vide : plus aucune question n'aura de réponse avant l'ajout "
            "d'un document (assistant corpus add)"
        )
