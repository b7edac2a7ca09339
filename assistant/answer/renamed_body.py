"""« La MILDT existe-t-elle toujours ? », « Qu'est devenue la MILDT ? », « Comment
s'appelle la MILDT aujourd'hui ? »: a body the glossary says was renamed.

The documents that use the old name do not say it changed: the glossary does (its
``[[renames]]``, kept by the maintainers, read by the search and said in the notes of
every answer that cites the old name). Asked whether the old body still exists, the
answer says so first, as the glossary's, then quotes what a document says of the body
under its new name (seventh fresh-user test: the rename was only in the « À savoir »
note, under two sentences on the tools the MILDT had validated in 2000).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..search.glossary import Glossary, Rename
from ..search.lexical import LexicalIndex
from ..search.retrieval import Passage
from ..search.store import ChunkStore
from .citations import Citation, citation_for
from .lookup import lexical_passages
from .sentence_scoring import _Candidate

# Passages read for the body under its new name, beside those retrieved for the question.
_SEARCHED = 5

# Asking whether a body still exists, what became of it, what it is called now.
_STILL = re.compile(
    r"\b(?:existe(?:nt)?(?:-t-(?:il|elle)|-(?:ils|elles))?\s+(?:toujours|encore)|"
    r"(?:qu['’]|que\s+)(?:est|sont)(?:-(?:il|elle|ils|elles))?\s+devenue?s?|"
    r"nouveau nom|nom actuel|changé de nom|"
    r"s['’]appell?e(?:nt)?\b.*\b(?:aujourd['’]hui|maintenant|désormais|à présent))",
    re.I,
)


def asked_rename(question: str, glossary: Glossary) -> Rename | None:
    """The rename a question about a renamed body's existence or name asks about (its old
    name or one of its spellings written as a word), or None."""
    if not _STILL.search(question):
        return None
    q = question.replace("’", "'")
    for r in glossary.renames:
        for name in r.old_names():
            if re.search(rf"(?<![\w']){re.escape(name)}(?!\w)", q, re.I):
                return r
    return None


def rename_sentence(r: Rename) -> str:
    """« D'après le glossaire du corpus, MILDT (…) s'appelle MILDECA (…) depuis 2014. »"""
    return (
        f"D'après le glossaire du corpus, {r.old} ({r.old_long}) s'appelle {r.new} "
        f"({r.new_long}) depuis {r.year}."
    )


def naming_new(r: Rename, passages: Sequence[Passage]) -> list[Passage]:
    """The passages that name the body by its new name, in their order."""
    names = [r.new, r.new_long, *r.new_aliases]
    return [
        p
        for p in passages
        if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", p.text, re.I) for n in names)
    ]


def new_name_passages(
    r: Rename, passages: Sequence[Passage], lexical: LexicalIndex, store: ChunkStore | None
) -> list[Passage]:
    """The passages that name the body by its new name: those retrieved for the question,
    then the best ``_SEARCHED`` by BM25 for the new name (the question names the old
    one, and its passages may not say the new)."""
    found = naming_new(r, passages)
    have = {p.chunk_id for p in found}
    more = lexical_passages(lexical, store, f"{r.new} {r.new_long}", _SEARCHED)
    found += naming_new(r, [p for p in more if p.chunk_id not in have])
    return found


def renamed_answer(
    r: Rename,
    passages: Sequence[Passage],
    lexical: LexicalIndex,
    store: ChunkStore | None,
    best: Callable[[str, Sequence[Passage]], list[_Candidate]],
    notice: Callable[[Mapping[str, Any]], str],
) -> tuple[str, list[Citation]]:
    """(answer text, citations): the rename, then the sentence ``best`` chooses for
    « Qu'est-ce que <the new long name> ? » among the passages that name the body by
    its new name, cited with its text's validity ``notice``."""
    read = new_name_passages(r, passages, lexical, store)
    chosen = best(f"Qu'est-ce que la {r.new_long} ?", read)[:1] if read else []
    text = " ".join([rename_sentence(r), *(f"{c.text} [1]" for c in chosen)])
    cited = [
        citation_for(1, p, [c.text], notice(p.metadata))
        for c in chosen
        for p in [read[c.passage_index]]
    ]
    return text, cited
