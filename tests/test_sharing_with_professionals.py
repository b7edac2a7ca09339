"""What a GP may tell another professional about a patient: the documents' rule is
written « échanger ou partager des informations » (CSP L. 1110-4, R. 1110-1 à
R. 1110-3); a GP asks it with « transmettre », « communiquer », « infos », « confrère »,
« collègue », « l'infirmière ». Fresh-user test (session 13): each got a passage about
referring crack users or a Belgian coordination's dilemma instead."""

from __future__ import annotations

import pytest

from assistant import Assistant

SHARING_RULES = ("csp-l1110-4", "csp-r1110-1-a-r1110-3")


@pytest.mark.parametrize(
    "question",
    [
        "Puis-je transmettre des informations sur mon patient à l'infirmière du CSAPA ?",
        "Puis-je communiquer le dossier d'un patient à un collègue kiné ?",
        "Est-ce que je peux transmettre des infos sur un patient à un confrère extérieur "
        "à mon équipe ?",
    ],
)
def test_telling_a_colleague_about_a_patient_is_answered_by_the_sharing_rule(
    seeded: Assistant, question: str
) -> None:
    ans = seeded.ask(question)
    assert not ans.abstained
    assert ans.citations[0].doc_id in SHARING_RULES
    assert "échanger" in ans.answer.split(" [1]")[0]
