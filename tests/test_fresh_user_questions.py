"""Questions of fresh users (sessions 13 and 14) that the documents answer but that got
another rule first: each pins the sentence a professional expects to read first."""

from __future__ import annotations

import pytest

from assistant import Assistant


def first_sentence(text: str) -> str:
    return text.split(" [1]")[0]


def test_being_caught_smoking_cannabis_is_the_plain_use_penalty(seeded: Assistant) -> None:
    # Measured: the driver's penalty (two years, 4 500 euros) came first: « pris » is no
    # case of the offence, only a word the plain sentence lacks.
    ans = seeded.ask("Qu'est-ce qu'on risque si on est pris à fumer du cannabis ?")
    first = first_sentence(ans.answer)
    assert first.startswith("L'usage illicite")
    assert "un an d'emprisonnement" in first


def test_care_without_giving_ones_name_is_anonymity(seeded: Assistant) -> None:
    # Measured: a Belgian hospital's service was the answer; « sans donner son nom » is
    # the texts' « anonymat » (glossary).
    ans = seeded.ask("Un toxicomane peut-il se faire soigner à l'hôpital sans donner son nom ?")
    assert "bénéficier de l'anonymat" in ans.answer
    assert ans.citations[0].doc_id.startswith("csp-l3414")


def test_the_missions_of_a_body_are_the_list_of_what_it_does(seeded: Assistant) -> None:
    # Measured: « relèvent du 9° … Leurs missions sont définies par décret » came first,
    # while the decree's list (« Les centres … assurent : 1° L'accueil … ») was retrieved.
    for question in ("Quelles sont les missions des CAARUD ?", "a quoi sert un caarud"):
        first = first_sentence(seeded.ask(question).answer)
        assert "assurent :" in first, question
        assert "L'accueil collectif et individuel" in first, question


def test_how_much_prison_for_selling_to_friends_is_the_penalty_for_cession(
    seeded: Assistant,
) -> None:
    # Measured: abstained; « combien de prison » was a count of prisons, « revend » no
    # word of the law (« cession »).
    ans = seeded.ask("Combien de prison on risque si on revend de la drogue à des copains ?")
    first = first_sentence(ans.answer)
    assert first.startswith("La cession ou l'offre illicites de stupéfiants")
    assert "cinq ans d'emprisonnement" in first


def test_a_phone_typed_penalty_question_is_a_penalty_question(seeded: Assistant) -> None:
    # Measured: « je fume du shit qu est ce que je risque » quoted harm reduction's
    # « cadre juridique de l'usage » (no apostrophe: no penalty frame).
    first = first_sentence(seeded.ask("je fume du shit qu est ce que je risque").answer)
    assert first.startswith("L'usage illicite")


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # The law's words: « provocation » for inciting, « établissements d'enseignement »
        # for a school (glossary). Measured: the driving penalty (« un élève conducteur »).
        (
            "Que risque celui qui pousse des collégiens à consommer du cannabis ?",
            "provocation",
        ),
        ("Que risque un dealer qui vend devant un lycée ?", "établissements d'enseignement"),
    ],
)
def test_school_and_incitement_are_read_in_the_laws_words(
    seeded: Assistant, question: str, said: str
) -> None:
    first = first_sentence(seeded.ask(question).answer)
    assert said in first
    assert "conduit un véhicule" not in first


def test_what_a_fund_is_for_is_the_sentence_on_what_it_funds(seeded: Assistant) -> None:
    # Measured: « Il est créé, au sein de la Caisse nationale de l'assurance maladie, un
    # fonds … » (that it exists) came first; the article that says what it does names it
    # « Le fonds mentionné à l'article L. 221-1-4 », which no definition rule read.
    first = first_sentence(seeded.ask("a quoi sert le fonds de lutte contre les addictions").answer)
    assert first.startswith("Le fonds mentionné à l'article L. 221-1-4 contribue")
    assert "au financement d'actions de lutte contre les addictions" in first


def test_opposing_the_sharing_is_the_right_of_opposition(seeded: Assistant) -> None:
    # Measured: a deceased minor's records came first: « s'opposer » (stem « oppos ») is
    # not « opposition » (« opposit ») but for the glossary.
    first = first_sentence(
        seeded.ask("Le patient peut-il s'opposer au partage de ses informations ?").answer
    )
    assert "droit d'exercer une opposition" in first


def test_an_apology_of_cannabis_is_presenting_it_in_a_favourable_light(
    seeded: Assistant,
) -> None:
    ans = seeded.ask("Que risque-t-on à faire l'apologie du cannabis sur internet ?")
    assert ans.citations[0].doc_id == "csp-l3421-4"
    assert "conduit un véhicule" not in first_sentence(ans.answer)


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        # Measured (fresh-user test, session 14): the next article's « … des articles
        # L. 3414-1 et … » came first, or an article of another text.
        ("Que dit l'article L3411-1 ?", "Une personne usant d'une façon illicite"),
        ("Que dit l'article L 3411-1 ?", "Une personne usant d'une façon illicite"),
        ("l 3411-6 dit quoi", "Les centres de soins, d'accompagnement et de prévention"),
    ],
)
def test_what_an_article_says_is_its_own_text(
    seeded: Assistant, question: str, opening: str
) -> None:
    assert first_sentence(seeded.ask(question).answer).startswith(opening)


def test_what_a_caarud_must_provide_is_its_missions(seeded: Assistant) -> None:
    # Thirteenth fresh-user test: the list of social and medico-social establishments
    # (CASF L312-1, « qui assurent l'accueil … ») came first.
    ans = seeded.ask("Que doit assurer un CAARUD ?")
    assert first_sentence(ans.answer).startswith("Les centres d'accueil et d'accompagnement")
    assert ans.citations[0].doc_id == "csp-d3121-33-a-d3121-33-6"


def test_what_a_course_consists_of_is_its_object(seeded: Assistant) -> None:
    # Thirteenth fresh-user test: the names of the courses a court may order came first.
    ans = seeded.ask("En quoi consiste le stage de sensibilisation aux dangers des stupéfiants ?")
    assert "a pour objet de faire prendre conscience" in first_sentence(ans.answer)
    assert ans.citations[0].doc_id == "cp-r131-35"


def test_a_count_of_a_kind_is_answered_by_that_kind(seeded: Assistant) -> None:
    # Fourteenth fresh-user test: « Cinq représentants d'associations » answered the
    # number of representatives of administrations (ten, CSS D221-37 5°).
    ans = seeded.ask(
        "Combien de représentants d'administrations siègent au conseil d'orientation "
        "stratégique du fonds addictions ?"
    )
    assert first_sentence(ans.answer).startswith("Dix représentants d'administrations")
    # The count is the answer: not the ten directors the next chunk lists.
    assert "administration pénitentiaire" not in ans.answer


def test_what_a_fund_is_for_is_the_sentence_that_defines_it(seeded: Assistant) -> None:
    # Fourteenth fresh-user test: « Il est créé … un fonds de lutte contre les addictions »
    # said that it exists, not what it is for (CSS D221-36: « contribue … au financement
    # d'actions de lutte contre les addictions … »).
    ans = seeded.ask("À quoi sert le fonds de lutte contre les addictions de l'assurance maladie ?")
    first = first_sentence(ans.answer)
    assert "contribue" in first and "financement d'actions" in first


def test_a_common_synonym_does_not_make_a_list_item_the_rarest(seeded: Assistant) -> None:
    # Fourteenth fresh-user test: « au volant » is said « conduire » in the texts, common;
    # the driving ban (an item of the complementary penalties) came before the sentence
    # on the vehicle's immobilisation, which answers.
    ans = seeded.ask(
        "Après un contrôle positif au cannabis au volant, la voiture peut-elle être immobilisée ?"
    )
    assert first_sentence(ans.answer).startswith("L'immobilisation du véhicule peut être prescrite")


def test_an_unconscious_patient_is_one_unable_to_express_his_will(seeded: Assistant) -> None:
    # Fourteenth fresh-user test (« Et s'il est dans le coma ? »): the code says « hors
    # d'état d'exprimer sa volonté » (CSP R1110-3); glossary entry.
    ans = seeded.ask(
        "Mon patient est dans le coma : dois-je quand même le prévenir avant d'échanger "
        "des informations sur lui ?"
    )
    assert first_sentence(ans.answer).startswith("Lorsque la personne est hors d'état")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Fourteenth fresh-user test, everyday words for the code's (glossary entries).
        (
            "La loi prévoit-elle qu'on cherche des contrepoisons aux drogues qui rendent accro ?",
            "antidotes",
        ),
        (
            "Si un magazine publie un article qui vante le cannabis, comment détermine-t-on "
            "qui est pénalement responsable ?",
            "presse écrite",
        ),
        (
            "D'où vient le personnel qui fait tourner la mission interministérielle de lutte "
            "contre les drogues ?",
            "mis à sa disposition",
        ),
    ],
)
def test_everyday_words_find_the_codes_words(
    seeded: Assistant, question: str, expected: str
) -> None:
    ans = seeded.ask(question)
    assert expected in first_sentence(ans.answer), ans.answer
