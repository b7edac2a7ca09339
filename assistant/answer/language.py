"""The language a question is written in: the documents and the answers are French."""

from __future__ import annotations

import re

ENGLISH_NOTE = "Les documents sont en français : posez la question en français."


def in_english(question: str) -> bool:
    """Whether a question of at least 4 words reads as English rather than French, by
    simplemma's language detector (the share of its words each language knows): « Who
    funds the CSAPA addiction centres in France? » is English (it was answered with the
    crack instruction, whose acronyms it shares); « Le harm reduction est-il financé ? »
    and « Et le SCAT ? » are French."""
    if len(re.findall(r"\w+", question)) < 4:
        return False
    from simplemma import langdetect  # its dictionaries load on first use

    scores = dict(langdetect(question, lang=("fr", "en")))
    return scores.get("en", 0.0) - scores.get("fr", 0.0) > 0.5
