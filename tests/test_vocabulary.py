"""Everyday words find the documents' terms (the glossary's ``[vocabulary]``: a consumer
health vocabulary). GPs and patients write « shit », « la Sécu », « se shooter »; the
texts write « cannabis », « assurance maladie », « injection »."""

from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import CorpusError
from assistant.search.glossary import Glossary
from tests.conftest import CORPUS


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("Fumer un joint, c'est puni de quoi ?", "cannabis"),
        ("La Sécu rembourse-t-elle la méthadone ?", "assurance maladie"),
        ("Un usager peut-il se shooter au CAARUD ?", "injection"),
        # Plurals of short words, which the stemmer leaves alone.
        ("Les ados accros ont-ils une consultation à eux ?", "adolescents"),
        ("Les ados accros ont-ils une consultation à eux ?", "dépendance"),
        # Any form of the everyday word: its dictionary form is looked up.
        ("Et s'il avait bu en plus ?", "alcool"),
        ("Mon patient buvait beaucoup : que proposer ?", "alcool"),
        ("Il fumait des joints tous les soirs", "cannabis"),
    ],
)
def test_an_everyday_word_brings_the_documents_term(question: str, term: str) -> None:
    assert term in Glossary.load(CORPUS).expand(question)


def test_only_the_question_is_lemmatized_not_the_everyday_phrase() -> None:
    # « joint » would be « joindre » as a lemma: « joindre le CSAPA » is not cannabis.
    assert "cannabis" not in Glossary.load(CORPUS).expand("Comment joindre le CSAPA ?")


def test_the_longest_everyday_phrase_wins() -> None:
    expanded = Glossary.load(CORPUS).expand("Les jeux d'argent rendent-ils accro ?")
    assert "jeu pathologique" in expanded
    assert "crédits" not in expanded  # « argent » alone is money; not here


def test_a_word_the_documents_use_often_is_not_expanded(seeded: Assistant) -> None:
    g = seeded.glossary
    assert not seeded.lexical.is_rare("drogue") and seeded.lexical.is_rare("shit")
    assert "stupéfiants" not in g.expand(
        "Où les usagers de drogue trouvent-ils de l'aide ?", seeded.lexical.is_rare
    )
    assert "cannabis" in g.expand("Le shit est-il interdit ?", seeded.lexical.is_rare)


def test_a_question_in_everyday_words_finds_the_text(seeded: Assistant) -> None:
    ans = seeded.ask("Fumer un joint, c'est puni de quoi ?")
    assert ans.passages[0].doc_id == "csp-l3421-1"  # the penalty for using a narcotic
    assert not ans.abstained and "puni" in ans.answer


def test_an_invalid_vocabulary_entry_is_refused(tmp_path: Path) -> None:
    (tmp_path / "glossary.toml").write_text('[vocabulary]\n"shit" = 3\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"glossaire invalide.*shit"):
        Glossary.load(tmp_path)
