"""The package's layout holds (issue 13): imports point one way, from the front-ends
(``cli``, ``ui/``, ``evals/``) through ``service`` to the stages ``answer`` → ``search`` →
``ingest``, never back; and no module grows past a size a reader can hold."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "assistant"

# Lower rank = lower stage. A module may import from its own stage and lower ones.
# Stage-free modules (rank 0) hold what every stage shares: settings, errors, atomic writes.
RANK = {"base": 0, "ingest": 1, "search": 2, "answer": 3, "top": 4}
BASE = {"settings", "errors", "atomic"}
STAGES = {"ingest", "search", "answer"}
FRONT_ENDS = {"ui", "evals"}

MAX_LINES = 450


def stage_of(module: str) -> str:
    """``module`` is dotted, ``assistant.x.y``; its stage name (see RANK)."""
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in STAGES:
        return parts[1]
    if len(parts) >= 2 and parts[1] in BASE:
        return "base"
    return "top"


def module_name(path: Path, repo: Path) -> str:
    rel = path.relative_to(repo).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path, repo: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports (at any depth, lazy ones too), absolute and dotted."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path, repo)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base)
            else:
                prefix = ""
            if node.module:
                target = f"{prefix}.{node.module}" if prefix else node.module
                found.append((node.lineno, target))
            else:  # from . import x: x is a module of that package
                found += [(node.lineno, f"{prefix}.{a.name}") for a in node.names]
    return found


def violations(root: Path) -> list[str]:
    """What breaks the rule in the package at ``root``."""
    repo = root.parent
    bad = []
    for path in sorted(root.rglob("*.py")):
        here = module_name(path, repo)
        if here == "assistant":  # the public API maps names onto every stage, lazily
            continue
        mine = stage_of(here)
        for line, target in imported(path, repo):
            top = target.split(".")[0]
            where = f"{path.relative_to(repo)}:{line} imports {target}"
            if top in FRONT_ENDS:
                bad.append(f"{where} (a front-end)")
            elif top == "assistant" and target != "assistant":
                theirs = stage_of(target)
                if RANK[theirs] > RANK[mine]:
                    bad.append(f"{where} ({mine} may not use {theirs})")
    return bad


def test_imports_point_one_way() -> None:
    assert violations(PACKAGE) == []


def test_the_check_catches_a_bad_import(tmp_path: Path) -> None:
    """The rule can fail: a search module importing from answer, or any module importing
    a front-end, is caught."""
    fake_repo = tmp_path
    (fake_repo / "assistant" / "search").mkdir(parents=True)
    (fake_repo / "assistant" / "search" / "bad.py").write_text(
        "from ..answer.extractive import Answer\nfrom ui import app\n"
    )
    (fake_repo / "assistant" / "ingest").mkdir()
    (fake_repo / "assistant" / "ingest" / "ok.py").write_text("from ..errors import X\n")
    found = violations(fake_repo / "assistant")
    assert len(found) == 2
    assert "search may not use answer" in found[0]
    assert "front-end" in found[1]


def test_stages_are_the_folders() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert folders == STAGES


def test_no_module_is_too_long() -> None:
    long = []
    for root in (PACKAGE, REPO / "ui"):
        for path in sorted(root.rglob("*.py")):
            rel = path.relative_to(REPO).as_posix()
            n = len(path.read_text(encoding="utf-8").splitlines())
            if n > MAX_LINES:
                long.append(f"{rel}: {n} lines")
    assert long == [], long


def test_the_readme_draws_the_folders() -> None:
    """The README's « Architecture » section has one line per stage folder, and no other."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    drawn = {line.split("`")[1] for line in section.splitlines() if line.startswith("- `")}
    stages = {f"assistant/{name}/" for name in STAGES}
    assert stages <= drawn
    assert {d for d in drawn if d.startswith("assistant/") and d != "assistant/"} == stages
