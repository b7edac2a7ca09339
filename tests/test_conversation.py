from assistant.conversation import condense

H = [
    {"role": "user", "content": "Comment un médecin rejoint-il un réseau de santé ?"},
    {"role": "assistant", "content": "…"},
]


def test_elliptic_follow_up_is_read_with_the_previous_question() -> None:
    assert condense("Et pour les pharmaciens ?", H) == (
        "Comment un médecin rejoint-il un réseau de santé ? Et pour les pharmaciens ?"
    )
    assert condense("Qu'en est-il des infirmiers ?", H).startswith("Comment un médecin")


def test_standalone_questions_are_kept() -> None:
    q = "Quels crédits les chefs de projet peuvent-ils utiliser pour la prévention ?"
    assert condense(q, H) == q
    assert condense("Et pour les pharmaciens ?", []) == "Et pour les pharmaciens ?"
