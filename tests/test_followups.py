"""Follow-ups in the chat engine, on the real index: a new question is never swallowed by
the previous one, and a follow-up's own words matter in its answer (issue 15, item 3)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from assistant import ABSTAIN_MESSAGE, Assistant
from assistant.answer.conversation import FollowUpRules
from assistant.answer.referents import swap_demonstrative, swap_possessive
from assistant.chat import COURTESY_REPLY, NEEDS_CONTEXT, ChatEngine, TurnResult, reply_turn
from assistant.search.lexical import fold
from tests.test_answer import answer_sentences
from tests.test_answer_composition import DELEGATION, first_sentence
from tests.test_conversation import CREDITS, SECRET

# The rule of sharing, as the bulletin reports it or the Code says it (« … peuvent
# échanger des informations … », « … ils peuvent partager les informations … »).
SHARING_RULE = re.compile(r"peuvent (?:partager|échanger) (?:les|des) informations")


def converse(engine: ChatEngine, *questions: str) -> list[TurnResult]:
    """The questions in turn, with the history the chat sends: user turns as typed."""
    history: list[dict[str, str]] = []
    results = []
    for q in questions:
        r = engine.ask(q, history)
        results.append(r)
        history += [
            {"role": "user", "content": r.understood.masked.text},
            reply_turn(r),
        ]
    return results


@pytest.fixture
def engine(seeded: Assistant) -> ChatEngine:
    return ChatEngine(seeded)


@pytest.fixture
def searches(seeded: Assistant, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The queries searched, in order."""
    seen: list[str] = []
    real: Callable[..., Any] = seeded.search

    def search(question: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(question)
        return real(question, *args, **kwargs)

    monkeypatch.setattr(seeded, "search", search)
    return seen


def test_a_new_short_question_is_searched_as_typed(engine: ChatEngine) -> None:
    # Measured: read as "Les frais des stages… ? Qu'est-ce qu'un CSAPA ?" and answered
    # about internships.
    _, r = converse(engine, CREDITS, "Qu'est-ce qu'un CSAPA ?")
    assert r.understood.question == "Qu'est-ce qu'un CSAPA ?"
    assert r.understood.reformulation == ""
    assert not r.answer.abstained
    assert "stage" not in fold(r.answer.answer)
    assert "csapa" in fold(r.answer.answer) or "addictologie" in fold(r.answer.answer)


def test_an_off_topic_question_abstains_whatever_came_before(engine: ChatEngine) -> None:
    # Measured: after two questions of the domain, it got cited legal text.
    *_, r = converse(
        engine,
        SECRET,
        "Comment un médecin rejoint-il un réseau de santé ?",
        "Quelle est la recette de la tarte tatin ?",
    )
    assert r.understood.reformulation == ""
    assert r.answer.abstained and not r.answer.citations


def test_the_follow_up_words_show_in_the_answer(engine: ChatEngine) -> None:
    # Measured: rewritten, but the answer never spoke of pharmacists.
    _, r = converse(engine, SECRET, "Et avec un pharmacien ?")
    u = r.understood
    assert u.focus == ("pharmacien",)
    assert u.reformulation == (
        "Ai-je le droit de partager des informations sur un patient avec un pharmacien ?"
    )
    # The answer speaks of pharmacists, or says the documents found say nothing of them
    # and gives what they say of the question it completes: the rule of sharing.
    if "pharmacien" not in fold(r.answer.answer):
        assert any(
            n.startswith("Les documents trouvés") and "« pharmacien »" in n for n in r.answer.notes
        ), r.answer.notes
        assert SHARING_RULE.search(r.answer.answer), r.answer.answer
        assert "Les études de cas sont anonymes" not in r.answer.answer


def test_an_acronym_said_in_full_is_not_reported_missing(engine: ChatEngine) -> None:
    # Measured: « Les documents trouvés ne disent rien de « caarud » » under an answer
    # that named the « centres d'accueil et d'accompagnement à la réduction des risques ».
    _, r = converse(engine, "Quelles sont les missions d'un CSAPA ?", "Et pour un CAARUD ?")
    assert r.understood.reformulation == "Quelles sont les missions d'un CAARUD ?"
    assert "reduction des risques pour usagers" in fold(r.answer.answer)
    assert not any("caarud" in n.lower() for n in r.answer.notes), r.answer.notes


def test_a_follow_up_is_answered_with_what_it_adds(engine: ChatEngine) -> None:
    # Measured: answered with the penalty for drugs alone, the sentence the user had
    # just read; « bu » is in no passage, so only what was said tells them apart.
    first, r = converse(
        engine,
        "Que risque quelqu'un qui conduit après avoir pris des stupéfiants ?",
        "Et s'il avait bu en plus ?",
    )
    assert "deux ans d'emprisonnement" in first.answer.answer
    assert r.understood.rewritten and r.understood.said == first.answer.answer
    assert "état alcoolique" in r.answer.answer and "trois ans" in r.answer.answer


def test_a_follow_up_after_an_unanswered_question_is_searched_as_asked(
    engine: ChatEngine,
) -> None:
    # Measured: read as « Quel temps fera-t-il demain ? Et la posologie … ? ».
    weather, r = converse(
        engine, "Quel temps fera-t-il demain ?", "Et la posologie de la méthadone ?"
    )
    assert weather.answer.abstained
    assert r.understood.reformulation == "" and not r.understood.rewritten


def test_an_elliptic_follow_up_after_an_unanswered_question_is_read_with_it(
    engine: ChatEngine,
) -> None:
    # « Et au volant ? » alone finds nothing; read with the question before, which the
    # documents did not answer (they do now; the history says they did not), it finds
    # the penalty for driving after drug use.
    history = [
        {"role": "user", "content": "Que risque-t-on si on consomme du cannabis ?"},
        {"role": "assistant", "content": ABSTAIN_MESSAGE},
    ]
    r = engine.ask("Et au volant ?", history)
    assert r.understood.rewritten and r.understood.uncertain
    assert not r.answer.abstained and "conduit un véhicule" in r.answer.answer


def test_a_follow_up_after_an_off_topic_question_is_read_with_the_one_before(
    engine: ChatEngine,
) -> None:
    # Measured by a tester: read as « Comment faire une bonne pâte à crêpes ? Et celui du
    # CPAS ? ».
    *_, r = converse(
        engine,
        "Quel est le rôle du RAT ?",
        "Comment faire une bonne pâte à crêpes ?",
        "Et celui du CPAS ?",
    )
    assert r.understood.reformulation == "Quel est le rôle du CPAS ?"
    assert "crêpes" not in r.understood.query
    assert not r.answer.abstained and "CPAS" in first_sentence(r.answer)[0]


def test_a_follow_up_of_an_unanswered_question_stays_with_it_after_an_answered_one(
    engine: ChatEngine,
) -> None:
    # The reading with the unanswered question finds the driving penalty; the one with
    # the RAT's role does not beat it.
    history = [
        {"role": "user", "content": "Quel est le rôle du RAT ?"},
        {"role": "assistant", "content": "Le RAT permet donc aux médecins généralistes …"},
        {"role": "user", "content": "Que risque-t-on si on consomme du cannabis ?"},
        {"role": "assistant", "content": ABSTAIN_MESSAGE},
    ]
    r = engine.ask("Et au volant ?", history)
    assert r.understood.rewritten and "cannabis" in r.understood.question
    assert not r.answer.abstained and "conduit un véhicule" in r.answer.answer


def test_a_follow_up_after_one_read_with_the_conversation_keeps_the_first_question(
    engine: ChatEngine,
) -> None:
    # Ninth fresh-user test: read as « Qui s'en occupe ? Où doivent-ils être stockés ? »,
    # naming neither the CSAPA nor the medicines.
    *_, r = converse(
        engine,
        "Un CSAPA peut-il délivrer des médicaments ?",
        "Qui s'en occupe ?",
        "Où doivent-ils être stockés ?",
    )
    assert r.understood.anchor == "Un CSAPA peut-il délivrer des médicaments ?"
    assert "lieu auquel n'ont pas librement accès" in first_sentence(r.answer)[0]


def test_a_second_swap_is_not_read_with_the_first(engine: ChatEngine) -> None:
    # Ninth fresh-user test: « Et les ACT ? » read « Les ACT sont-ils financés par
    # l'assurance maladie ? Et les CSAPA ? ».
    *_, r = converse(
        engine,
        "Les CAARUD sont-ils financés par l'assurance maladie ?",
        "Et les CSAPA ?",
        "Et les ACT ?",
    )
    assert r.understood.reformulation == "Les ACT sont-ils financés par l'assurance maladie ?"


def test_no_note_says_the_documents_lack_a_word_whose_family_they_write(
    engine: ChatEngine,
) -> None:
    # Ninth fresh-user test: « … ne parlent pas de « confisquée » » above « La confiscation
    # du véhicule … ».
    *_, r = converse(
        engine,
        "Que risque quelqu'un qui conduit après avoir pris de la cocaïne ?",
        "Et sa voiture, elle peut être confisquée ?",
    )
    assert "confiscation du véhicule" in r.answer.answer
    assert not any("confisquée" in n for n in r.answer.notes), r.answer.notes


def test_who_pronounces_an_injunction_is_who_enjoins(engine: ChatEngine) -> None:
    # Eighth fresh-user test: answered by the health professional's opinion to the
    # judicial authority (« … afin qu'elle se prononce sur l'opportunité … »). The texts
    # write the act as a verb: « enjoindre » (glossary).
    *_, r = converse(engine, "C'est quoi une injonction thérapeutique ?", "Qui la prononce ?")
    assert r.understood.reformulation == "Qui prononce l'injonction thérapeutique ?"
    assert re.search(r"enjoin|enjoint", first_sentence(r.answer)[0])


def test_no_note_says_the_documents_lack_a_verb_of_the_follow_up(engine: ChatEngine) -> None:
    # Browser test, session 19: « Les documents trouvés ne parlent pas de « piloté » »
    # above « … élaboré par un groupe de travail ad hoc … ».
    *_, r = converse(
        engine,
        "Qu'est-ce que le dispositif d'orientation des usagers de crack ?",
        "Qui a piloté le référentiel ?",
    )
    assert "groupe de travail ad hoc" in r.answer.answer
    assert not any("piloté" in n for n in r.answer.notes), r.answer.notes


def test_qui_les_finance_asks_who_finances_what_the_question_was_about(
    engine: ChatEngine,
) -> None:
    # Measured by a tester: read as « Quelles sont les missions des CAARUD ? Qui les
    # finance ? » and answered by the CAARUD's right to dispense medicines.
    _, r = converse(engine, "Quelles sont les missions des CAARUD ?", "Qui les finance ?")
    assert r.understood.reformulation == "Qui finance les CAARUD ?"
    assert "prises en charge par l'assurance maladie" in answer_sentences(r.answer.answer)[0][0]


def test_a_possessive_asks_that_noun_of_the_topic(engine: ChatEngine) -> None:
    # Browser test of session 19: « Et leur financement ? » after the CAARUD's missions
    # was searched with « missions » and answered by the CAARUD's right to dispense
    # medicines; the next swap asked the missions again.
    _, r, swapped = converse(
        engine,
        "Quelles sont les missions des CAARUD ?",
        "Et leur financement ?",
        "Et pour les CSAPA ?",
    )
    assert r.understood.reformulation == "Et le financement des CAARUD ?"
    assert "prises en charge par l'assurance maladie" in r.answer.answer
    assert swapped.understood.reformulation == "Et le financement des CSAPA ?"
    assert "prises en charge par l'assurance maladie" in swapped.answer.answer


@pytest.mark.parametrize(
    ("anchor", "follow_up", "reading"),
    [
        ("Quelles sont les missions du CSAPA ?", "Et son financement ?",
         "Et le financement du CSAPA ?"),
        ("Quel est le rôle des CSAPA ?", "Et leur composition ?", "Et la composition des CSAPA ?"),
        ("Qu'est-ce que l'ARS ?", "Et ses missions ?", "Et les missions de l'ARS ?"),
        # « leur » after a generic singular: many CSAPA.
        ("Qu'est-ce qu'un CSAPA ?", "Et leur financement ?", "Et le financement du CSAPA ?"),
        ("Que doivent faire les chefs de projet ?", "Et pour leurs obligations ?",
         "Et les obligations des chefs de projet ?"),
    ],
)  # fmt: skip
def test_a_possessive_is_read_with_the_anchor_s_topic(
    anchor: str, follow_up: str, reading: str
) -> None:
    assert swap_possessive(follow_up, anchor) == reading


def test_a_possessive_question_of_its_own_is_no_swap() -> None:
    assert (
        swap_possessive("Et leur financement est-il assuré par l'État ?", "Qu'est-ce qu'un CSAPA ?")
        == ""
    )
    assert swap_possessive("Et le financement ?", "Qu'est-ce qu'un CSAPA ?") == ""


def test_a_follow_up_word_written_only_elsewhere_gets_the_rule_and_a_note(
    engine: ChatEngine,
) -> None:
    # Ninth fresh-user test: « Et pour un mineur ? » after the anonymity at admission was
    # answered with « … accueils collectifs de mineurs » (the educators of R1110-2): the
    # documents say nothing of minors there; the rule already given and a note are.
    first, r = converse(
        engine,
        "Un usager peut-il demander l'anonymat quand il se présente à l'hôpital pour se "
        "faire soigner ?",
        "Et pour un mineur ?",
    )
    assert "bénéficier de l'anonymat au moment de l'admission" in first.answer.answer
    assert "bénéficier de l'anonymat au moment de l'admission" in r.answer.answer
    assert "accueils collectifs de mineurs" not in r.answer.answer
    assert any("mineur" in n for n in r.answer.notes), r.answer.notes


def test_a_question_only_written_the_documents_way_is_an_anchor(engine: ChatEngine) -> None:
    # Tenth fresh-user test: « Un CAARUD, ça fait quoi concrètement ? » is read « Que fait
    # un CAARUD concrètement ? » (informal wording), not with the conversation: it stays
    # the anchor, and « y » is the CAARUD (it was « payer aux finance », from the
    # follow-up « Et qui les finance ? »).
    *_, r = converse(
        engine,
        "Un CAARUD, ça fait quoi concrètement ?",
        "Et qui les finance ?",
        "Les usagers doivent-ils y payer quelque chose ?",
    )
    assert r.understood.reformulation == "Les usagers doivent-ils payer au CAARUD quelque chose ?"
    assert "prise en charge anonyme et gratuite" in r.answer.answer
    assert not any("quelque" in n for n in r.answer.notes), r.answer.notes


def test_a_pronoun_takes_up_the_topic_set_off_before_the_question(engine: ChatEngine) -> None:
    # « Qui l'alimente ? » was read « Qui alimente la CNAM ? » (the body the fund's name
    # holds) and abstained.
    _, r = converse(engine, "Le fonds addictions de la CNAM, il finance quoi ?", "Qui l'alimente ?")
    assert r.understood.reformulation == "Qui alimente le fonds addictions de la CNAM ?"
    assert not r.answer.abstained


def test_pourquoi_after_a_rule_and_its_reason_gives_the_reason(engine: ChatEngine) -> None:
    # Tenth fresh-user test: the same question as DELEGATION in other words abstained (a
    # rule without a reason was put first, then refused as no reason).
    _, why = converse(
        engine,
        "Chef de projet drogue, ai-je le droit de confier ma mission de coordination à la DDCS ?",
        "Pourquoi ?",
    )
    assert not why.answer.abstained
    assert "En effet celui-ci n'aurait ni votre légitimité" in why.answer.answer


def test_a_demonstrative_takes_up_the_noun_of_the_answer_just_read(engine: ChatEngine) -> None:
    # Tenth fresh-user test: « cette politique » is the answer's « politique de réduction
    # des risques et des dommages »; read with the question before, it was answered by
    # the sentence already read (L3411-8 IV) instead of L3411-7's « relève de l'Etat ».
    first, r = converse(
        engine,
        "Un détenu peut-il bénéficier de la réduction des risques ?",
        "Qui définit cette politique ?",
    )
    assert "La politique de réduction des risques et des dommages" in first.answer.answer
    assert r.understood.reformulation == (
        "Qui définit la politique de réduction des risques et des dommages ?"
    )
    assert "relève de l'Etat" in r.answer.answer


def test_a_demonstrative_of_the_kind_of_a_named_body_is_that_body(engine: ChatEngine) -> None:
    _, r = converse(engine, "Qu'est-ce qu'un CAARUD ?", "Qui finance ces centres ?")
    assert r.understood.reformulation == "Qui finance les CAARUD ?"
    assert "prises en charge par l'assurance maladie" in r.answer.answer


@pytest.mark.parametrize(
    ("question", "said", "reading"),
    [
        ("Cette politique relève-t-elle de l'État ?",
         "La politique de réduction des risques et des dommages s'applique également …",
         "La politique de réduction des risques et des dommages relève-t-elle de l'État ?"),
        ("Qui nomme ce procureur ?",
         "Le procureur de la République peut enjoindre à la personne …",
         "Qui nomme le procureur de la République ?"),
        ("Cette mesure est-elle payante ?",
         "Il se soumet à une mesure de soins. La mesure d'injonction thérapeutique dure six mois.",
         "La mesure d'injonction thérapeutique est-elle payante ?"),
        # After « du » (« de le »), in the answer's number (twelfth fresh-user test).
        ("Qui paie ces stages ?",
         "Le contenu du stage de responsabilisation pour la prévention … doit permettre …",
         "Qui paie le stage de responsabilisation ?"),
        # Nothing more than the demonstrative says; a noun of texts; nothing written.
        ("Qui contrôle cette mesure ?", "La durée de la mesure est de six mois.", ""),
        ("Ce texte est-il en vigueur ?", "Le texte de la loi dit …", ""),
        ("Qui fixe ces modalités ?", "La politique … selon des modalités adaptées.", ""),
    ],
)  # fmt: skip
def test_a_demonstrative_is_read_with_the_answer_s_noun_phrase(
    question: str, said: str, reading: str
) -> None:
    assert swap_demonstrative(question, said) == reading


def test_a_definite_noun_of_the_answer_just_read_may_point_back(engine: ChatEngine) -> None:
    # Tenth fresh-user test: « Qui fixe la distance ? » after the answer on « les
    # distances en-deçà desquelles les débits de boissons … » was searched alone and
    # abstained; « à côté » is no word the documents should have.
    first, near, who = converse(
        engine,
        "Un café peut-il s'installer en face d'un centre de réduction des risques ?",
        "Et à côté d'un stade ?",
        "Qui fixe la distance ?",
    )
    assert first.answer.citations[0].doc_id == "csp-l3335-1"
    assert not any("côté" in n for n in near.answer.notes), near.answer.notes
    assert who.understood.rewritten
    assert "Le représentant de l'Etat dans le département arrête" in who.answer.answer


def test_a_definite_noun_the_answer_did_not_write_is_a_question_of_its_own(
    engine: ChatEngine,
) -> None:
    # « la distance » is no word of an answer on anonymity: searched as typed.
    _, r = converse(
        engine,
        "Un usager peut-il demander l'anonymat quand il se présente à l'hôpital ?",
        "Qui fixe la distance ?",
    )
    assert not r.understood.rewritten


def test_the_time_asked_after_a_question_is_not_read_with_it(engine: ChatEngine) -> None:
    # Measured: « il » of « Quelle heure est-il ? » was read as a pronoun for the chief
    # of the question before, and the glued question answered from the note.
    _, r = converse(engine, DELEGATION, "Quelle heure est-il ?")
    assert not r.understood.rewritten and r.answer.abstained
    assert r.answer.maybe_useful == []


def test_pourquoi_is_answered_by_the_reason_already_given(engine: ChatEngine) -> None:
    # The reason followed the rule in the answer (« En effet celui-ci n'aurait ni votre
    # légitimité … »); « Pourquoi ? » quoted another sentence with « afin de ».
    _, why = converse(engine, DELEGATION, "Pourquoi ?")
    assert "En effet celui-ci n'aurait ni votre légitimité" in why.answer.answer
    assert "dispositif d'appui méthodologique" not in why.answer.answer


def test_another_body_of_the_same_kind_is_asked_the_same_question(engine: ChatEngine) -> None:
    # Measured: read as « Qui finance les CAARUD ? Et les CSAPA ? », answered by the list
    # of the three kinds of centres. The CSAPA are centres, as the CAARUD are: the
    # question is asked of them; the ARS (an agency) may be the answer, kept whole.
    _, csapa, ars = converse(engine, "Qui finance les CAARUD ?", "Et les CSAPA ?", "Et l'ARS ?")
    assert csapa.understood.reformulation == "Qui finance les CSAPA ?"
    sentence, doc = first_sentence(csapa.answer)
    assert sentence.startswith("Les dépenses médico-sociales des centres de soins")
    assert doc == "casf-l314-8"
    assert ars.understood.reformulation == "Qui finance les CSAPA ? Et l'ARS ?"


def test_the_figure_asked_for_comes_first(engine: ChatEngine) -> None:
    # The sentence with a length, from a lower passage, before closer ones without one.
    _, r = converse(
        engine,
        "L'Etat aide-t-il financièrement la vente des trousses de prévention pour usagers "
        "injecteurs ?",
        "Pour combien de temps cet opérateur est-il désigné ?",
    )
    assert not r.answer.abstained
    assert "pour une durée maximum de dix ans" in answer_sentences(r.answer.answer)[0][0]


def test_a_chain_of_follow_ups_is_read_with_the_topic_question(engine: ChatEngine) -> None:
    q1 = "Quelles sont les missions des réseaux de santé ?"
    _, second, third = converse(engine, q1, "Et pour les pharmaciens ?", "Et les infirmiers ?")
    assert second.understood.reformulation == f"{q1} Et pour les pharmaciens ?"
    assert third.understood.reformulation == f"{q1} Et les infirmiers ?"
    assert third.understood.focus == ("infirmiers",)


def test_an_anaphoric_follow_up_is_answered_on_its_topic(engine: ChatEngine) -> None:
    _, r = converse(engine, "Qu'est-ce que l'intervision ?", "Et qui peut la demander ?")
    assert r.understood.condensed_by == "rules"
    assert r.understood.question == "Qui peut demander l'intervision ?"
    assert "professionnel" in fold(r.answer.answer)


def test_a_doubtful_question_is_searched_both_ways_as_asked_kept_when_answered(
    engine: ChatEngine, searches: list[str]
) -> None:
    # "Et" continues, but what follows is a whole question: both readings are searched.
    _, r = converse(engine, CREDITS, "Et qu'est-ce qu'un CSAPA ?")
    assert len(searches) == 3  # the first question, then both readings of the second
    assert searches[-1] == "Et qu'est-ce qu'un CSAPA ?"
    assert "crédits" in searches[-2] or "credits" in fold(searches[-2])
    assert r.understood.question == "Et qu'est-ce qu'un CSAPA ?"
    assert not r.answer.abstained and "stage" not in fold(r.answer.answer)


@pytest.mark.parametrize(
    ("first", "follow", "said"),
    [
        (
            "Quelles structures peuvent adresser un usager de crack vers un soin résidentiel ?",
            "Et qui a élaboré le référentiel ?",
            "groupe de travail ad hoc",
        ),
        (
            "Combien de places la clinique des Bruyères réserve-t-elle aux usagers d'Inser Santé ?",
            "Et qui aide à remplir le dossier d'admission ?",
            "Ceux-ci proposent une aide à son remplissage",
        ),
    ],
)
def test_a_complete_question_opening_on_et_continues_the_conversation(
    engine: ChatEngine, searches: list[str], first: str, follow: str, said: str
) -> None:
    # Measured: searched as typed and shown as not rewritten, though « le référentiel »
    # is the one of the document just cited.
    _, r = converse(engine, first, follow)
    u = r.understood
    assert u.condensed_by == "rules" and not u.uncertain and u.anchor == first
    assert u.reformulation == f"{first} {follow}"
    assert len(searches) == 2  # a sure reading: searched once
    assert not r.answer.abstained and said in r.answer.answer


@pytest.mark.parametrize(
    ("follow", "said"),
    [
        # Eighth fresh-user test: answered from the harm-reduction code article on « le
        # référentiel national », and from the care team's definition.
        ("Qui a piloté le référentiel ?", "élaboré par un groupe de travail ad hoc"),
        ("Quelles structures peuvent adresser les patients ?", "structures qui adressent"),
    ],
)
def test_a_definite_noun_phrase_is_the_one_of_the_document_just_read(
    engine: ChatEngine, follow: str, said: str
) -> None:
    first, r = converse(
        engine, "Qu'est-ce que le dispositif d'orientation des usagers de crack ?", follow
    )
    assert r.understood.rewritten and r.understood.uncertain
    assert said in r.answer.answer
    assert {c.doc_id for c in r.answer.citations} == {c.doc_id for c in first.answer.citations}


def test_a_definite_noun_phrase_answered_elsewhere_keeps_the_question_as_asked(
    engine: ChatEngine,
) -> None:
    # « le patient » could be the crack scheme's; the reading with it does not quote the
    # document just read, so the question is the user's own.
    _, r = converse(
        engine,
        "Qu'est-ce que le dispositif d'orientation des usagers de crack ?",
        "Le patient peut-il s'opposer à l'échange de ses informations entre professionnels ?",
    )
    assert not r.understood.rewritten
    assert "sauf opposition du patient" in r.answer.answer


def test_a_continuation_on_another_topic_still_abstains(
    engine: ChatEngine, searches: list[str]
) -> None:
    # « Et sinon, … » with a topic of its own: both readings are searched, and the
    # question as asked, which the documents do not answer, is kept.
    _, r = converse(
        engine,
        "Quelles structures peuvent adresser un usager de crack vers un soin résidentiel ?",
        "Et sinon, quelle est la recette de la tarte tatin ?",
    )
    assert len(searches) == 3
    assert searches[-1] == "Et sinon, quelle est la recette de la tarte tatin ?"
    assert r.understood.reformulation == ""
    assert r.answer.abstained and not r.answer.citations


def test_a_first_question_opening_on_et_is_searched_as_typed(
    engine: ChatEngine, searches: list[str]
) -> None:
    r = engine.ask("Et qui a élaboré le référentiel ?")
    assert not r.understood.rewritten and not r.understood.condensed_by
    assert searches == ["Et qui a élaboré le référentiel ?"]


def test_a_doubtful_off_topic_question_still_abstains(engine: ChatEngine) -> None:
    # Verbless, so maybe elliptic; read with the conversation it would inherit the
    # earlier question's confidence, but its answer would not speak of what was asked.
    *_, r = converse(
        engine, SECRET, CREDITS, "Quelles interactions entre la méthadone et les antirétroviraux ?"
    )
    assert r.understood.reformulation == ""
    assert r.answer.abstained


def test_sure_readings_are_searched_once(engine: ChatEngine, searches: list[str]) -> None:
    converse(engine, SECRET, "Et avec un pharmacien ?", "Qu'est-ce qu'un CSAPA ?")
    # The follow-up's word weighs in the search; no passage has it, so the question it
    # completes is searched too (see test_the_follow_up_words_show_in_the_answer).
    assert searches[1].count("pharmacien") >= 2
    assert searches[2:] == [SECRET, "Qu'est-ce qu'un CSAPA ?"]


class _CondensingLLM:
    """Just what ``ChatEngine.understand`` asks of an LLM."""

    class config:
        timeout = 30.0

    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.calls = 0

    def invoke_text(self, messages: object, timeout: float) -> str:
        self.calls += 1
        return self.reply


def test_the_llm_rewrites_only_what_the_rules_say_depends(seeded: Assistant) -> None:
    llm = _CondensingLLM("Un pharmacien peut-il recevoir des informations sur un patient ?")
    engine = ChatEngine(seeded, llm=llm)  # type: ignore[arg-type]
    history = [{"role": "user", "content": SECRET}, {"role": "assistant", "content": "…"}]
    u = engine.understand("Qu'est-ce qu'un CSAPA ?", history)
    assert llm.calls == 0 and u.question == "Qu'est-ce qu'un CSAPA ?" and not u.condensed_by
    u = engine.understand("Et avec un pharmacien ?", history)
    assert llm.calls == 1 and u.condensed_by == "llm"
    assert u.question == llm.reply and u.focus == ("pharmacien",)


def test_patient_data_of_earlier_turns_never_reaches_the_rewritten_question(
    engine: ChatEngine, searches: list[str]
) -> None:
    # An API caller may send its history as typed, patient data included: the follow-up
    # is rewritten with that turn, and what is searched, shown and logged stays masked.
    history = [
        {
            "role": "user",
            "content": "Mon patient Jean Dupont né le 12/03/1975, tél 06 12 34 56 78, "
            "peut-il être suivi en CSAPA ?",
        },
        {"role": "assistant", "content": "…"},
    ]
    r = engine.ask("Et pour un CAARUD ?", history)
    assert r.understood.rewritten
    for text in (r.understood.question, r.understood.query, *searches):
        assert "Dupont" not in text and "12/03/1975" not in text and "06 12" not in text
    assert "CAARUD" in r.understood.question


@pytest.mark.parametrize("message", ["Merci, bonne journée !", "Bonjour", "D'accord, merci."])
def test_a_courtesy_is_answered_as_one_without_searching(
    engine: ChatEngine, searches: list[str], message: str
) -> None:
    # Measured: « Merci, bonne journée ! » showed « Rendez vous à notre Journée
    # Annuelle… » among the passages that might help.
    r = engine.ask(message)
    assert r.answer.answer == COURTESY_REPLY and r.answer.passages == []
    assert searches == []


def test_a_question_after_a_courtesy_is_searched_as_asked(engine: ChatEngine) -> None:
    _, r = converse(engine, "Merci !", "Et pour un CAARUD ?")
    assert not r.understood.rewritten
    # A question that says « merci » with a topic is still a question.
    assert engine.ask("Merci pour les infos, et qui finance les CSAPA ?").answer.passages


def test_a_follow_up_naming_a_trade_gets_its_aggravated_penalty(engine: ChatEngine) -> None:
    # « conducteur de train » is, in the law, « le personnel d'une entreprise de
    # transport … ferroviaire », whose penalty is raised.
    _, r = converse(
        engine,
        "Quelle peine pour usage illicite de stupéfiants ?",
        "Et pour un conducteur de train ?",
    )
    assert r.understood.condensed_by == "rules"
    assert "les peines sont portées à cinq ans d'emprisonnement" in r.answer.answer


def test_a_bare_why_is_answered_by_a_reason_or_not_at_all(engine: ChatEngine) -> None:
    # Measured: « Pourquoi ? » after « Qui finance les CAARUD ? » quoted a sentence on
    # training fees. The documents give no reason for that funding: no answer.
    first, why = converse(engine, "Qui finance les CAARUD ?", "Pourquoi ?")
    assert not first.answer.abstained
    assert why.understood.rewritten and why.answer.abstained
    assert why.answer.answer == ABSTAIN_MESSAGE
    # Where the documents give the reason, it is quoted.
    _, why = converse(
        engine, "Inser Santé accompagne-t-il physiquement les usagers à la clinique ?", "Pourquoi ?"
    )
    assert "permet de rassurer la personne" in why.answer.answer


def test_et_pour_stands_for_the_people_the_question_named(engine: ChatEngine) -> None:
    # « Et pour les pharmaciens ? » asks the same thing with pharmacists instead of the
    # other professionals of the network (was glued after it, and answered from the
    # bulletin's case meetings, which mention pharmacists).
    _, r = converse(engine, SECRET, "Et pour les pharmaciens ?")
    assert r.understood.reformulation == (
        "Ai-je le droit de partager des informations sur un patient avec les pharmaciens ?"
    )
    assert "Les études de cas sont anonymes" not in r.answer.answer
    assert SHARING_RULE.search(r.answer.answer), r.answer.answer


def test_a_trade_s_complement_is_not_reported_missing(engine: ChatEngine) -> None:
    # « bus » of « chauffeur de bus », « ligne » of « pilote de ligne »: the answer speaks
    # of the driver or the pilot in the law's words; no note on the complement.
    _, pilot, driver = converse(
        engine,
        "Fumer du cannabis, c'est puni de quoi ?",
        "Et pour un pilote de ligne ?",
        "Et pour un chauffeur de bus ?",
    )
    for r in (pilot, driver):
        assert "personnel d'une entreprise de transport" in r.answer.answer
        assert "portées à cinq ans" in answer_sentences(r.answer.answer)[0][0]
        assert not any("ligne" in n or "bus" in n for n in r.answer.notes), r.answer.notes


def test_en_of_a_verbal_phrase_and_a_follow_up_s_whole_words(engine: ChatEngine) -> None:
    # Twelfth fresh-user test: « Qui en fait partie ? » was read « Qui fait du comité …
    # partie ? »; « D'autres ministres peuvent-ils y être appelés ? » is answered by the
    # sentence that holds both its words, not by the presidency's, which holds the
    # anchor's every word and « ministre ».
    _, members, others = converse(
        engine,
        "À quoi sert le comité interministériel de lutte contre les drogues ?",
        "Qui en fait partie ?",
        "D'autres ministres peuvent-ils y être appelés ?",
    )
    assert members.understood.question == (
        "Qui fait partie du comité interministériel de lutte contre les drogues ?"
    )
    first = answer_sentences(others.answer.answer)[0][0]
    assert first.startswith("D'autres ministres peuvent être appelés à siéger")


def test_a_follow_up_naming_a_variant_of_the_penalty_gets_that_variant(
    engine: ChatEngine,
) -> None:
    # « amende » is in the plain penalty just read and in the aggravated one: the sentence
    # on the « amende forfaitaire » answers, not the penalty of transport staff (was
    # quoted first, with a note that the documents say nothing of « forfaitaire »).
    _, r = converse(
        engine, "Quelle est la peine pour usage de stupéfiants ?", "Et l'amende forfaitaire ?"
    )
    first = answer_sentences(r.answer.answer)[0][0]
    assert "amende forfaitaire d'un montant de 200 €" in first
    assert "portées à cinq ans" not in r.answer.answer
    assert not any("forfaitaire" in n for n in r.answer.notes), r.answer.notes


@pytest.mark.parametrize(
    "question", ["Et pour un pilote de ligne ?", "Et pour les pharmaciens ?", "Qui la finance ?"]
)
def test_an_elliptic_question_with_nothing_before_asks_for_the_whole_question(
    engine: ChatEngine, searches: list[str], question: str
) -> None:
    # Measured: « Et pour un pilote de ligne ? » as a first message quoted the bulletin's
    # bibliography (« Créer et piloter un réseau de santé. »).
    for history in ([], [{"role": "user", "content": "Bonjour"}]):
        r = engine.ask(question, history)
        assert r.answer.abstained and r.answer.answer == NEEDS_CONTEXT
        assert not r.answer.citations and not r.understood.rewritten
    assert searches == []


def test_an_elliptic_follow_up_after_an_unanswered_question_is_only_read_with_it(
    engine: ChatEngine,
) -> None:
    # Alone it found « piloter » in a book title; with the question before, the penalty of
    # transport staff.
    _, r = converse(
        engine, "Que risque-t-on si on consomme du cannabis ?", "Et pour un pilote de ligne ?"
    )
    assert r.understood.rewritten
    assert "personnel d'une entreprise de transport" in r.answer.answer
    assert "piloter un réseau" not in r.answer.answer


def test_a_second_swap_the_documents_say_nothing_of_gets_the_rule_of_the_first_question(
    engine: ChatEngine,
) -> None:
    # Measured: after « Et pour les pharmaciens ? » (answered by the rule, with a note),
    # « Et avec un infirmier ? » quoted the bulletin's case meetings: the rule it fell back
    # on was that of the pharmacists' question, whose words the documents lack too.
    *_, r = converse(
        engine, SECRET, "Merci !", "Et pour les pharmaciens ?", "Et avec un infirmier ?"
    )
    assert r.understood.reformulation.endswith("avec un infirmier ?")
    assert "Les études de cas sont anonymes" not in r.answer.answer
    assert SHARING_RULE.search(r.answer.answer), r.answer.answer
    # A nurse is one of the « professionnels de santé » the rule names (glossary, CSP
    # fourth part): the answer is about him, no note says the documents lack the word.
    assert not any("« infirmier »" in n for n in r.answer.notes), r.answer.notes


@pytest.mark.parametrize(
    ("first", "doc_id", "said"),
    [
        # Measured by a tester: « Ce texte est-il toujours en vigueur ? » answered for the
        # bulletin (« en vigueur »), not for the repealed article just cited.
        ("Qu'est-ce qu'un réseau de santé ?", "csp-l6321-1", "est abrogé"),
        ("Qu'est-ce qu'un CSAPA ?", "csp-l3411-6", "en vigueur"),
    ],
)
def test_ce_texte_is_the_text_the_previous_answer_cited(
    engine: ChatEngine, first: str, doc_id: str, said: str
) -> None:
    before, r = converse(engine, first, "Ce texte est-il toujours en vigueur ?")
    assert before.answer.citations[0].doc_id == doc_id
    assert [c.doc_id for c in r.answer.citations] == [doc_id]
    assert said in r.answer.answer


@pytest.mark.parametrize("follow", ["Faut-il son accord ?", "Et si le patient refuse ?"])
def test_the_patients_consent_is_answered_by_the_texts_opposition(
    engine: ChatEngine, follow: str
) -> None:
    # Measured by a tester: both quoted the Anderlecht case meetings (« Les études de cas
    # sont anonymes », « ce qui peut être dit … auprès des autres membres »); the texts
    # say it with « opposition » (« sauf opposition du patient », « son droit d'exercer
    # une opposition »).
    _, r = converse(engine, SECRET, follow)
    assert r.understood.rewritten and not r.answer.abstained
    # The rule itself, in the first two sentences (the first may say which law it is).
    assert any("opposition" in s for s, _ in answer_sentences(r.answer.answer)[:2])


def test_a_document_followed_by_pronouns_stays_that_document(engine: ChatEngine) -> None:
    # Measured by a tester: « Qui a signée la MILDT ? » (notes of 2009 quoted), then « Est-
    # elle toujours en vigueur ? » answered by a 2022 date of the DAC article.
    dated, signed, status = converse(
        engine,
        "De quand date la lettre de mission de la MILDT sur les réseaux ?",
        "Qui l'a signée ?",
        "Est-elle toujours en vigueur ?",
    )
    letter = "mildt-lettre-mission-reseaux-2000"
    assert [c.doc_id for c in dated.answer.citations] == [letter]
    assert signed.understood.question.startswith("Qui a signé la lettre de mission")
    assert "Nicole MAESTRACCI" in signed.answer.answer
    assert [c.doc_id for c in status.answer.citations] == [letter]
    assert "est en vigueur ; texte de 2000" in status.answer.answer


def test_a_repealed_texts_sentence_is_not_quoted_beside_the_rule_in_force(
    seeded: Assistant,
) -> None:
    # Measured by a tester: the repealed article 131-35-1 was quoted after 131-5-1, its
    # warning only in the sources.
    ans = seeded.ask(
        "Combien de temps dure le stage de sensibilisation aux dangers des stupéfiants ?"
    )
    assert not ans.abstained and ans.citations
    assert all(c.status in ("", "en_vigueur") for c in ans.citations), ans.citations


def test_a_swapped_name_is_answered_as_the_same_question_asked_alone(
    engine: ChatEngine,
) -> None:
    # Measured by a tester: « Et les CAARUD ? » after « Qui finance les CSAPA ? » was
    # read « Qui finance les CAARUD ? » but searched with « CAARUD » again, which ranked
    # the passages naming the CAARUD above the one saying who pays for them (« prises en
    # charge par l'assurance maladie »), first for the question asked alone.
    _, swapped = converse(engine, "Qui finance les CSAPA ?", "Et les CAARUD ?")
    (alone,) = converse(engine, "Qui finance les CAARUD ?")
    assert swapped.understood.question == "Qui finance les CAARUD ?"
    assert "assurance maladie" in alone.answer.passages[0].text
    top = [p.chunk_id for p in alone.answer.passages[:3]]
    assert [p.chunk_id for p in swapped.answer.passages[:3]] == top


def test_a_new_question_asked_with_a_pronoun_is_answered_not_the_anchor_again(
    engine: ChatEngine,
) -> None:
    # Sixth fresh-user test: « Elle a été créée quand ? » was read « La coordination
    # toxicomanie d'Anderlecht a été créée quand ? », then answered with the answer
    # before: « créée » is in no passage, and a follow-up whose words are in none was
    # answered by its anchor's rule (what « Et avec un pharmacien ? » needs, not this).
    first, created = converse(
        engine, "C'est quoi la coordination toxicomanie d'Anderlecht ?", "Elle a été créée quand ?"
    )
    assert created.understood.rewritten
    assert "1996" in answer_sentences(created.answer.answer)[0][0]
    assert created.answer.answer != first.answer.answer


def test_function_words_are_no_focus() -> None:
    # Browser test: a note said the documents do not speak of « jusqu »; the tenth tester
    # saw one on « quelque » (« quelque chose »).
    rules = FollowUpRules()
    anchor = "Combien de réseaux de soins étaient recensés en 2000 ?"
    assert rules.focus("Jusqu'à quand dure sa décharge de service ?", anchor) == (
        "dure",
        "décharge",
        "service",
    )
    assert rules.focus("Les usagers doivent-ils y payer quelque chose ?", anchor) == (
        "usagers",
        "payer",
    )


def test_a_follow_up_is_answered_by_the_text_in_force_before_a_repealed_one(
    engine: ChatEngine,
) -> None:
    # Thirteenth fresh-user test: the repealed article 131-35-1 (version of 2007, « La
    # juridiction précise si le stage est exécuté aux frais du condamné ») came first,
    # when article 131-5-1 in force answers, with the same form.
    turns = converse(
        engine, "Quels stages un tribunal peut-il ordonner pour un délit ?", "Qui paie ces stages ?"
    )
    sentence, doc_id = first_sentence(turns[-1].answer)
    assert sentence.startswith("Sauf décision contraire de la juridiction")
    assert "aux frais du condamné" in sentence
    assert doc_id == "cp-131-5-1"


def test_a_bare_question_word_and_verb_is_read_with_the_conversation(engine: ChatEngine) -> None:
    # Fourteenth fresh-user test: « Qui paie ? » was searched alone and answered with the
    # pricing of medico-social establishments (CASF L314-8).
    turns = converse(
        engine, "Quels stages le tribunal peut-il prononcer à la place de la prison ?", "Qui paie ?"
    )
    assert turns[-1].understood.rewritten
    sentence, doc_id = first_sentence(turns[-1].answer)
    assert "aux frais du condamné" in sentence and doc_id == "cp-131-5-1"


@pytest.mark.parametrize(
    ("questions", "word"),
    [
        # Fourteenth fresh-user test: notes that said the documents lack a word the
        # answer writes (« … la moitié du nombre maximal de points du permis »), that the
        # quoted document's title names (« L3411-9 (… CAARUD) »), or a preposition.
        (
            (
                "Quelles peines complémentaires pour un conducteur contrôlé positif au cannabis ?",
                "Combien de points perd-il ?",
            ),
            "points",
        ),
        (("Qui prend en charge les dépenses d'un CSAPA ?", "Et celles d'un CAARUD ?"), "caarud"),
        (
            (
                "Quelle peine pour quelqu'un qui revend du cannabis à un mineur ?",
                "Et devant un collège, à la sortie des cours ?",
            ),
            "devant",
        ),
    ],
)
def test_no_note_says_the_documents_lack_a_word_the_answer_shows(
    engine: ChatEngine, questions: tuple[str, ...], word: str
) -> None:
    turn = converse(engine, *questions)[-1]
    assert not turn.answer.abstained
    assert not [n for n in turn.answer.notes if f"« {word} »" in n], turn.answer.notes


def test_by_when_is_answered_by_the_deadline(engine: ChatEngine) -> None:
    # Fourteenth fresh-user test: once « Qui paie ? » was read with the courses, « Dans
    # quel délai … ? » was answered by how long a course may last (« pendant une durée ne
    # pouvant excéder un mois »), not by « … exécuté dans un délai de six mois ».
    turns = converse(
        engine,
        "Quels stages le tribunal peut-il prononcer à la place de la prison ?",
        "Qui paie ?",
        "Dans quel délai faut-il l'avoir fait ?",
    )
    sentence, doc_id = first_sentence(turns[-1].answer)
    assert "dans un délai de six mois" in sentence and doc_id == "cp-131-5-1"


def test_telling_the_patient_beforehand_is_the_codes_prior_information(
    engine: ChatEngine,
) -> None:
    # Fourteenth fresh-user test: « Dois-je le prévenir avant ? » was answered by the
    # conditions of an exchange (L1110-4), not by the information due before (R1110-3):
    # « le prévenir » is « informer préalablement » in the code (glossary).
    turns = converse(
        engine,
        "Puis-je échanger des informations sur un patient avec l'assistante sociale qui le suit ?",
        "Dois-je le prévenir avant ?",
    )
    _, doc_id = first_sentence(turns[-1].answer)
    assert doc_id == "csp-r1110-1-a-r1110-3"
    assert "préalable" in turns[-1].answer.answer


def test_a_follow_up_word_met_in_another_topic_s_passage_is_reported(engine: ChatEngine) -> None:
    # Eighteenth fresh-user test: « Et pour un mineur ? » after anonymous care was
    # answered with the court-ordered courses « des usagers occasionnels mineurs et
    # majeurs », a circular that shares only « usagers » with the question.
    _, r = converse(
        engine,
        "Un usager de drogue peut-il être soigné sans donner son nom ?",
        "Et pour un mineur ?",
    )
    assert "usagers occasionnels mineurs et majeurs" not in r.answer.answer
    assert any("mineur" in n for n in r.answer.notes), r.answer.notes
