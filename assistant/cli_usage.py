"""The command line's own text in French: a usage error (unknown option, bad value,
missing argument) as one line, and the help's usage line, section titles, help option and
value types (``french``)."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

import typer
from typer._click import exceptions as usage  # typer >= 0.29 carries its own click
from typer._click.core import Command
from typer._click.formatting import HelpFormatter

HELP_OPTION_TEXT = "Affiche cette aide et quitte."
# Typer writes these through gettext, with no French catalogue; its vendored click writes
# "Usage: " and the help option's text as literals. Both are replaced where they are used:
# gettext's key -> French.
_TYPER_TEXT = {
    "Commands": "Commandes",
    "required": "obligatoire",
    "default: {default}": "défaut : {default}",
    "env var: {var}": "variable d'environnement : {var}",
    "Aborted!": "Interrompu.",
    "(dynamic)": "(dynamique)",
}
# The same, as typer's rich help has them (module constants of ``typer.rich_utils``).
_RICH_TEXT = {
    "COMMANDS_PANEL_TITLE": "Commandes",
    "ERRORS_PANEL_TITLE": "Erreur",
    "REQUIRED_LONG_STRING": "[obligatoire]",
    "DEFAULT_STRING": "[défaut : {}]",
    "ENVVAR_STRING": "[variable d'environnement : {}]",
    "DEPRECATED_STRING": "(obsolète) ",
    "ABORTED_TEXT": "Interrompu.",
    "RICH_HELP": "Aide : [blue]'{command_path} {help_option}'[/]",
}
# The value types the help shows beside an option ("<path>", "<int range>").
_TYPE_NAMES = {
    "path": "chemin",
    "Path": "chemin",
    "file": "fichier",
    "directory": "dossier",
    "str": "texte",
    "int": "entier",
    "float": "nombre",
    "int range": "entier",
    "float range": "nombre",
    "datetime": "date",
}
_SUBCOMMAND_METAVAR = "COMMANDE [ARGUMENTS]..."


class FrenchFormatter(HelpFormatter):
    """Click's help formatter with a French usage line (« Utilisation : … »)."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Utilisation : " if prefix is None else prefix)


class FrenchContext(typer.Context):
    """A command's context whose help is French: its formatter, its help option's text,
    its options' value types (see ``french``)."""

    formatter_class = FrenchFormatter

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        help_option = self.command.get_help_option(self)
        if help_option is not None:
            help_option.help = HELP_OPTION_TEXT
        for param in self.command.get_params(self):
            _french_type(param, self)

    def get_help(self) -> str:
        _french_typer_text()
        return super().get_help()


def french(command: Command) -> None:
    """Make the help and usage text of ``command`` and of its sub-commands French: the
    usage line, the section titles, the help option, the value types. Typer builds the
    command tree anew on each run; this changes that tree only."""
    todo = [command]
    while todo:
        cmd = todo.pop()
        cmd.context_class = FrenchContext
        sub = getattr(cmd, "commands", None)
        if isinstance(sub, dict):
            if getattr(cmd, "subcommand_metavar", None) == "COMMAND [ARGS]...":
                cmd.subcommand_metavar = _SUBCOMMAND_METAVAR  # type: ignore[attr-defined]
            todo.extend(sub.values())


def _french_type(param: Any, ctx: Any) -> None:
    """« <texte> » for « <str> »; nothing for a flag, which takes no value."""
    if getattr(param, "metavar", None) is not None or not hasattr(param, "display_type"):
        return
    shown = param.display_type(ctx)
    if getattr(param, "is_flag", False) and not getattr(param, "count", False):
        french_name = ""
    elif isinstance(shown, str) and shown.startswith("<") and shown.endswith(">"):
        name = shown[1:-1]
        listed = name.startswith("list[") and name.endswith("]")
        bare = name[5:-1] if listed else name
        if bare not in _TYPE_NAMES:
            return
        french_name = f"<{_TYPE_NAMES[bare]}{'…' if listed else ''}>"
    else:
        return
    if getattr(param, "param_type_name", "") == "option":
        param.metavar = french_name
    else:
        # An argument's usage piece is its metavar: only the help's type column changes.
        param.display_type_rich = lambda ctx: french_name


def _gettext(message: str) -> str:
    return _TYPER_TEXT.get(message, message)


def _french_typer_text() -> None:
    """Typer's own words in the help, replaced before the help is written (its rich
    formatter is imported here, as typer would import it to write the help)."""
    import typer.core

    typer.core._ = _gettext  # type: ignore[attr-defined]  # its gettext, as ``_``
    if typer.core.HAS_RICH:
        from typer import rich_utils

        for name, text in _RICH_TEXT.items():
            setattr(rich_utils, name, text)


def usage_message(exc: usage.ClickException, args: list[str]) -> str:
    """A command-line usage error, in French, on one line."""
    ctx = getattr(exc, "ctx", None)
    hint = f" (aide : {ctx.command_path} --help)" if ctx is not None else ""
    if isinstance(exc, usage.NoSuchOption):
        msg = f"option inconnue « {exc.option_name} »"
        fmt = _format_meant(exc.option_name, ctx)
        if fmt:
            msg += f", vouliez-vous dire {fmt} ?"
        elif exc.possibilities:
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


def _format_meant(option: str, ctx: Any) -> str | None:
    """« --format json » for ``--json`` (or ``--jsonl``, ``--table``…) on a command whose
    ``--format`` takes that value: the output format is an option's value, not a flag."""
    value = option.lstrip("-").lower()
    for param in getattr(getattr(ctx, "command", None), "params", []):
        if "--format" not in getattr(param, "opts", []):
            continue
        annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
        choices = getattr(getattr(param, "type", None), "choices", None) or []
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            choices = [str(m.value) for m in annotation]
        if value in choices or (not choices and value in ("json", "jsonl", "table", "text")):
            return f"--format {value}"
    return None


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
