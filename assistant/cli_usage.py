"""A command-line usage error (unknown option, bad value, missing argument) as one line
in French."""

from __future__ import annotations

import re
from enum import Enum
from typing import Any

from typer._click import exceptions as usage  # typer >= 0.29 carries its own click


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
