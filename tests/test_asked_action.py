"""« Qui peut solliciter … ? » asks who may do an action: the sentence that answers
writes the permission or the duty with that action's verb (search/asked_action.py)."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.search.asked_action import asked_action, names_a_doer
from assistant.search.question_type import classify, form_score
from tests.test_answer import answer_sentences


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        ("Qui peut solliciter un dispositif d'appui à la coordination ?", "solliciter"),
        ("Qui peuvent délivrer des autotests ?", "délivrer"),
        ("Qui doit désigner le médecin relais ?", "désigner"),
        ("Qui a le droit d'informer la famille ?", "informer"),
        ("Qui est chargé de détecter les usagers ?", "détecter"),
        ("Qui peut en informer le procureur ?", "informer"),
        ("Qui peut enjoindre une mesure d'injonction thérapeutique ?", "enjoindre"),
        ("Qui peut l'autoriser ?", "autoriser"),
        # A light verb and its noun: the verb that says the action alone (nineteenth
        # fresh-user test: « Qui peut faire appel au DAC ? » got its missions).
        ("Qui peut faire appel à un DAC ?", "solliciter"),
        ("Qui peut avoir recours à un DAC ?", "recourir"),
        # No modal, or a verb too light to tell the action.
        ("Qui finance les CSAPA ?", ""),
        ("Qui peut faire la demande ?", ""),
        ("Qui est le président du comité ?", ""),
    ],
)
def test_the_action_whose_doer_is_asked(question: str, verb: str) -> None:
    qt = classify(question)
    assert qt.kind == "agent"
    assert qt.verb == verb
    assert asked_action(qt.content) == verb


@pytest.mark.parametrize(
    ("question", "verb"),
    [
        # A passive « se voir » or a causative « (se) faire » carries the action asked.
        (
            "Un dealer condamné peut-il se voir appliquer une période de sûreté ?",
            "appliquer",
        ),
        ("Peut-on se faire rembourser les substituts nicotiniques ?", "rembourser"),
        ("Le patient peut-il se faire soigner sans ordonnance ?", "soigner"),
        ("Peut-on laisser partir un patient ivre ?", "partir"),
        # « faire » with its object is the action itself.
        ("Peut-on faire une demande en ligne ?", "faire"),
        ("Peut-il voir un médecin sans ordonnance ?", "voir"),
    ],
)
def test_a_yes_no_question_asks_the_action_an_auxiliary_carries(question: str, verb: str) -> None:
    qt = classify(question)
    assert qt.kind == "yesno"
    assert qt.verb == verb


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("les professionnels de santé peuvent solliciter un appui à la coordination", True),
        ("le procureur de la république peut également en solliciter l'avis", True),
        ("les organismes sont habilités à solliciter une aide", True),
        # The action not written as a permission or a duty of someone.
        ("un service polyvalent à tout professionnel qui le sollicite", False),
        ("les demandes d'appui sont sollicitées par le dispositif", False),
        ("le dispositif peut accompagner les professionnels", False),
        # A passive names its doers after « par », in a list (with_whole_list reads it).
        ("les autotests peuvent être sollicités par :", False),
    ],
)
def test_a_sentence_names_who_may_do_the_action(sentence: str, names: bool) -> None:
    assert names_a_doer("solliciter", sentence) is names


def test_a_body_named_in_passing_weighs_less_than_the_one_who_may() -> None:
    qt = classify("Qui peut solliciter un dispositif d'appui à la coordination ?")
    doer = "Les professionnels de santé peuvent solliciter un appui à la coordination."
    passing = (
        "Il participe à la coordination des acteurs, notamment par l'analyse des besoins du DAC."
    )
    assert form_score(qt, doer) == 1.0
    assert form_score(qt, passing) < form_score(qt, doer)
    # Without an action asked, a body named after « par » answers who, as before.
    assert form_score(classify("Qui organise la coordination ?"), passing) == 1.0


def test_the_action_may_be_written_with_the_documents_word() -> None:
    # « demander » in the question, « solliciter » in the law (glossary): the sentence
    # that says who may is the one with the law's verb.
    qt = classify("Qui peut demander un appui pour coordonner un parcours ?")
    doer = "Les professionnels de santé peuvent solliciter un appui à la coordination."
    assert qt.verb == "demander"
    assert form_score(qt, doer) < 1.0
    assert form_score(qt, doer, verb_names=("solliciter",)) == 1.0
    # A noun among the documents' words is never read as the verb.
    assert form_score(qt, doer, verb_names=("financement",)) < 1.0


def test_who_may_ask_for_support_is_answered_with_the_laws_verb(seeded: Assistant) -> None:
    # Gold conversation c22: the question, standalone after two on CAARUDs, got the
    # decree's « un service polyvalent à tout professionnel qui le sollicite ».
    ans = seeded.ask("Qui peut demander un appui pour coordonner un parcours de santé complexe ?")
    first = answer_sentences(ans.answer)[0][0]
    assert first.startswith("Les professionnels de santé, sociaux et médico-sociaux")
    assert ans.citations[0].doc_id == "csp-l6327-1"


def test_who_may_call_on_the_dac_in_everyday_words_is_the_law_that_says_who(
    seeded: Assistant,
) -> None:
    # Nineteenth fresh-user test: « faire appel à » got the DAC's missions (L6327-2).
    ans = seeded.ask("Qui peut faire appel au dispositif d'appui à la coordination ?")
    first = answer_sentences(ans.answer)[0][0]
    assert first.startswith("Les professionnels de santé, sociaux et médico-sociaux")
    assert ans.citations[0].doc_id == "csp-l6327-1"


def test_who_may_call_on_a_dac_is_answered_by_the_law_that_says_who(seeded: Assistant) -> None:
    # Fifteenth fresh-user test: the DAC's missions answered who may call on it.
    ans = seeded.ask("Qui peut solliciter un dispositif d'appui à la coordination ?")
    first = answer_sentences(ans.answer)[0][0]
    assert first.startswith("Les professionnels de santé, sociaux et médico-sociaux")
    assert "peuvent solliciter un appui" in first
    assert ans.citations[0].doc_id == "csp-l6327-1"


def test_a_passive_list_of_doers_is_still_given_whole(seeded: Assistant) -> None:
    # Sixteenth fresh-user test: « … peuvent être délivrés par : » read as the sentence
    # that says who may deliver them came first, after a stray item of another text,
    # and the list of who may was lost.
    ans = seeded.ask("Qui peut délivrer des autotests de dépistage du VIH ?")
    sentences = [s for s, _ in answer_sentences(ans.answer)]
    assert sentences[0].startswith("Par dérogation") and sentences[0].endswith("délivrés par :")
    assert sentences[1].startswith("1° Les centres gratuits d'information")
    assert {c.doc_id for c in ans.citations} == {"csp-l3121-2-2"}


def test_who_carries_out_the_dac_s_missions_is_the_decree_s_body(seeded: Assistant) -> None:
    # The decree writes « dispositif d'appui à la coordination » without the acronym's
    # « des parcours de santé complexes »: its sentence on who carries out the missions
    # counted as naming no DAC and gave way to the law's list of the missions.
    ans = seeded.ask("Qui assure les missions du DAC ?")
    first = answer_sentences(ans.answer)[0][0]
    assert "sont assurées par une personne morale unique par territoire" in first
    assert ans.citations[0].doc_id == "csp-d6327-1-a-d6327-6"
