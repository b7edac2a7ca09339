"""Where a defined term is written in a sentence (for ``answer_forms``' definition
form): as its words, plurals agreeing, or by its head noun and the article that creates
it."""

from __future__ import annotations

import re


def referred(low: str, name: str) -> list[tuple[int, int]]:
    """Where a law refers to the term by its head noun and an article: « Le fonds
    mentionné à l'article L. 221-1-4 contribue … » is about « le fonds de lutte contre
    les addictions » that article creates. The span ends after the article's number."""
    words = name.split()
    if len(words) < 2:
        return []
    pattern = (
        rf"(?<!\w){re.escape(words[0])}(?:s|x)?\s+(?:mentionnée?s?|visée?s?|prévue?s?)\s+"
        r"(?:à|au|aux|par)\s+(?:l'|les\s+)?articles?\s+[lrd]?\.?\s*\d[\d-]*\d"
    )
    return [(m.start(), m.end()) for m in re.finditer(pattern, low)]


def find_names(low: str, name: str) -> list[tuple[int, int]]:
    """Where a name occurs in a lowercased sentence, as whole words; plurals agree
    (« réseau de santé » finds « réseaux de santé »)."""
    words = [re.escape(w) + r"(?:s|x)?" for w in name.split()]
    if not words:
        return []
    pattern = r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"
    found = [(m.start(), m.end()) for m in re.finditer(pattern, low)]
    content = [re.escape(w) + r"(?:s|x)?" for w in name.split() if not _NAME_GLUE.match(w)]
    if found or len(content) < 3:
        return found
    # A long name as the text words it, its words in order with a few more between
    # (« stage de sensibilisation aux dangers des stupéfiants » is written « … aux
    # dangers de l'usage de produits stupéfiants »).
    pattern = r"(?<!\w)" + r"\W+(?:[\w-]+\W+){0,5}?".join(content) + r"(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, low)]


_NAME_GLUE = re.compile(r"^(?:de|des|du|d|la|le|les|l|aux|au|à|en|et|un|une)$")
