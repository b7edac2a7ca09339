"""Verb forms the French stemmer leaves whole, read as their infinitive before stemming
(``FrenchAnalyzer``)."""

from __future__ import annotations

import functools

_INFINITIVE = ("er", "ir", "re", "oir")


@functools.lru_cache(maxsize=65_536)
def verb_lemma(word: str) -> str:
    """The infinitive of a verb in « -ent » (« composent » → « composer », « accueillent »
    → « accueillir », « intervient » → « intervenir »), ``word`` otherwise. Snowball's
    French stemmer leaves the third person plural of the present whole, so that « Quels
    ministres composent le comité … ? » shared no term with « composé », nor « Les
    dispositifs informent-ils … ? » with « information ». A noun or an adjective
    (« patient », « violent », « traitement ») is its own lemma in simplemma's dictionary
    of French forms (loaded on first use)."""
    if len(word) < 5 or not word.endswith("ent"):
        return word
    import simplemma

    lemma = str(simplemma.lemmatize(word, lang="fr")).lower()
    return lemma if lemma != word and lemma.endswith(_INFINITIVE) else word
