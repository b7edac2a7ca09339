"""Questions the documents do not answer, although a sentence shares their words or has
the form of their answer: the assistant abstains (issue 15, item 2). Each kind is pinned
with a question of its own and with the answerable question it must not silence."""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.answer.absent_role import absent_role
from assistant.search.lexical import FrenchAnalyzer
from assistant.search.measured import measured
from assistant.search.question_type import classify
from tests.test_answer import answer_sentences

NO_ANSWER = "Je n'ai pas trouvé de réponse à cette question dans les documents."


@pytest.mark.parametrize(
    ("question", "what", "in_sentence"),
    [
        ("Combien de salariés emploie un CSAPA ?", "salariés", False),
        ("Quel est le taux de remboursement des substituts nicotiniques ?", "remboursement", True),
        ("Quel est le taux légal d'alcoolémie au volant ?", "alcoolémie", True),
        ("Quelle part du fonds de concours revient à la police ?", "fonds", True),
        # A rate of a noun phrase, not of who holds it (PIAF training articles).
        ("Quelle est la part du budget de l'UNESCO assurée par les États-Unis ?", "budget", True),
        ("Quelle est la durée de validité d'une ordonnance ?", "validité", False),
        ("Combien de personnes ont participé à l'atelier ?", "", False),  # anyone counted
        ("Combien coûte un stage de sensibilisation ?", "", False),  # a kind of figure only
        ("Quelle peine pour usage de cannabis ?", "", False),
        # What lasts, after « dure » (ninth fresh-user test).
        ("Combien de temps dure une injonction thérapeutique ?", "injonction", False),
        ("Combien de temps dure un sevrage alcoolique en clinique ?", "sevrage", False),
        ("Ça dure combien de temps ?", "", False),
        ("Combien y a-t-il de CAARUD en France ?", "caarud", False),
    ],
)
def test_what_a_figure_is_of(question: str, what: str, in_sentence: bool) -> None:
    words, sentence = measured(classify(question))
    assert (what in words, sentence) == (True, in_sentence)
    assert bool(words) == bool(what)


def test_who_holds_a_rate_need_not_be_named_with_it() -> None:
    words, _ = measured(
        classify("Quelle est la part du budget de l'UNESCO assurée par les États-Unis ?")
    )
    assert words == "du budget de l'unesco"
    words, _ = measured(
        classify("Quel est le taux de remboursement des actes que fait le médecin ?")
    )
    assert words == "de remboursement des actes"


@pytest.mark.parametrize(
    "question",
    [
        # A figure of something else: « Ces dispositions s'appliquent à compter du 1er
        # janvier 2008 » was the number of employees of a CSAPA.
        "Combien de salariés emploie un CSAPA ?",
        # The rate of the hours of a diploma's teaching was the rate asked.
        "Quel est le taux légal d'alcoolémie au volant ?",
        # The length of an injunction measure was the validity of a prescription.
        "Quelle est la durée de validité d'une ordonnance de méthadone ?",
        # A date (« le 1er janvier 2008 ») was the sum of money asked, « était » unread.
        "Quel était le montant des crédits des CSAPA en 2021 ?",
        # A year no document names: another plan's words answered.
        "Quelles mesures le plan 2018-2022 prévoit-il pour les CSAPA ?",
        # A law no document cites, named after its minister.
        "Que prévoit la loi Evin pour les boissons alcoolisées ?",
        # Opening hours: a year (« présente depuis 1958 ») is no time of day.
        "À quelle heure ouvre le CSAPA de Bernay ?",
        # « Combien y a-t-il de … » counts too; « le 1er janvier 2008 » counts nothing.
        "Combien y a-t-il de CSAPA en France aujourd'hui ?",
        "Combien y a-t-il de chefs de projet départementaux en France ?",
        # A salary is a sum of money: a sentence without one does not give it.
        "Quel est le salaire d'un médecin qui travaille en CSAPA ?",
        # A length of something else: « Durée totale : 2 années » of a training (ninth
        # fresh-user test).
        "Combien de temps dure un sevrage alcoolique en clinique ?",
    ],
)
def test_a_question_whose_answer_is_not_in_the_documents_abstains(
    seeded: Assistant, question: str
) -> None:
    ans = seeded.ask(question)
    assert ans.abstained, ans.answer
    assert ans.answer == NO_ANSWER


def test_the_answerable_questions_of_the_same_kinds_are_answered(seeded: Assistant) -> None:
    # What is counted, written in the sentence with its number.
    ans = seeded.ask("Combien de citoyens ont participé à l'atelier sur la prévention ?")
    assert "15 citoyens" in ans.answer
    # Anyone counted: « 15 citoyens » answers « combien de personnes ».
    ans = seeded.ask("Combien de personnes ont participé à l'atelier citoyen ?")
    assert "15 citoyens" in ans.answer
    # A rate of what the sentence names.
    ans = seeded.ask(
        "Quel pourcentage du volume horaire de la capacité porte sur les aspects de santé "
        "publique ?"
    )
    assert "10 à 20 %" in ans.answer
    # A length of what the passage is about.
    assert "six mois" in seeded.ask("Quelle est la durée de l'injonction thérapeutique ?").answer
    assert "six mois" in seeded.ask("Combien de temps dure l'injonction thérapeutique ?").answer
    # A year the documents give in a text's record, not in its words.
    ans = seeded.ask("Que disait l'article 131-35-1 du code pénal dans sa version de 2007 ?")
    assert not ans.abstained
    # A law the documents cite by its date (glossary: « Kouchner »).
    ans = seeded.ask("Que prévoit la loi Kouchner sur le secret médical ?")
    assert "loi du 4 mars" in ans.answer
    assert not ans.notes


def test_the_current_year_is_now_and_only_noted(seeded: Assistant) -> None:
    year = seeded.answerer().today.year
    ans = seeded.ask(f"Quelles sont les missions des CSAPA en {year} ?")
    assert not ans.abstained
    assert ans.notes[0] == (
        f"Les documents ne parlent pas de « {year} » : ce qui suit vaut en général."
    )


@pytest.mark.parametrize(
    ("question", "subject"),
    [
        ("Qui finance les CAARUD ?", "financeur"),
        ("Qui paie le stage de sensibilisation ?", "financeur"),
        ("Qui prend en charge les frais d'hébergement ?", "financeur"),
        ("Qui supporte les dépenses de prévention de l'alcoolisme ?", "financeur"),
        ("Qui assume les frais du stage ?", "financeur"),
        ("Qui supporte le patient pendant son sevrage ?", ""),  # support, not cost
        ("Qui préside le comité interministériel ?", ""),
        ("Qui peut demander un appui à la coordination ?", ""),
    ],
)
def test_who_pays_is_asked_by_its_verb(question: str, subject: str) -> None:
    qt = classify(question)
    assert (qt.kind, qt.subject) == ("agent", subject)


def test_who_pays_is_not_swapped_for_a_sentence_that_names_the_body(
    seeded: Assistant,
) -> None:
    # Measured (fresh-user test, session 15): abstained. The payer's sentence (« Les
    # dépenses afférentes à ces activités sont prises en charge par l'assurance
    # maladie ») names no CSAPA; the sentence before it, which does, says no payer.
    ans = seeded.ask("Qui prend en charge les dépenses du dépistage des hépatites au CSAPA ?")
    assert not ans.abstained
    assert "prises en charge par l'assurance maladie" in ans.answer.split(" [1]")[0]


def test_who_pays_is_answered_by_the_payment_or_not_at_all(seeded: Assistant) -> None:
    # Measured: « Qui finance le DAC ? » repeated what the DAC does; no document says
    # who funds it.
    assert seeded.ask("Qui finance le DAC ?").abstained
    ans = seeded.ask("Qui finance les CSAPA ?")
    first = ans.answer.split(" [1]")[0]
    assert "prises en charge" in first or "assurance maladie" in first


def test_an_aid_granted_is_a_payment(seeded: Assistant) -> None:
    # « L'Etat peut accorder une aide … de trousses de prévention » says who pays for the
    # kits (fourth fresh-user test: abstained).
    ans = seeded.ask("Qui finance les trousses de prévention pour injecteurs ?")
    assert ans.answer.startswith("L'Etat peut accorder une aide")


@pytest.mark.parametrize(
    ("question", "role"),
    [
        # Sixth fresh-user test: answered with « le président de l'Institut national du
        # cancer », a member of the fund's council, also after a conversation on CAARUD.
        ("Qui est le président de la République ?", "le président de la République"),
        ("Qui est le président de la MILDECA ?", "le président de la MILDECA"),
        # A place asked of something no text names (eighth fresh-user test: the places
        # of harm-reduction activities were quoted).
        (
            "Où se trouvent les salles de consommation à moindre risque ?",
            "les salles de consommation à moindre risque",
        ),
    ],
)
def test_who_holds_a_role_no_text_names_abstains_saying_so(
    seeded: Assistant, question: str, role: str
) -> None:
    ans = seeded.ask(question)
    assert ans.abstained, ans.answer
    assert f"Les documents ne parlent pas de « {role} »." in ans.notes


def test_who_holds_a_role_a_text_names_is_answered(seeded: Assistant) -> None:
    ans = seeded.ask("Qui est le médecin relais ?")
    assert not ans.abstained
    assert "médecin relais" in answer_sentences(ans.answer)[0][0]


@pytest.mark.parametrize(
    "question",
    [
        # PIAF: answered in other words (« Kate Barry, fille de Jane Birkin »); a relation
        # or a trade is no post whose holder a text would name as such (27 PIAF questions
        # abstained, false abstention 0.046 → 0.082).
        "Qui est la mère de Kate Barry ?",
        "Qui était l'employeur de Leavitt à l'Observatoire de l'Université de Harvard ?",
        "Qui sont les acteurs qui n'étaient pas en faveur de la guerre ?",
    ],
)
def test_who_someone_is_by_a_relation_is_no_absent_post(question: str) -> None:
    stems = FrenchAnalyzer().stems
    assert absent_role(question, [], stems) == ""


def test_who_holds_a_post_no_passage_names_is_an_absent_post() -> None:
    stems = FrenchAnalyzer().stems
    question = "Qui est l'actuel directeur de l'agence régionale ?"
    assert absent_role(question, [], stems) == "l'actuel directeur de l'agence régionale"
