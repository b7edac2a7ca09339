from assistant import Assistant
from ui.app import respond
from ui.render import sources_markdown

SECRET = "Ai-je le droit de partager des informations sur un patient ?"


def test_chat_turn_shows_answer_and_sources(seeded: Assistant) -> None:
    answer_md, sources_md = respond(seeded, SECRET)
    assert "[1]" in answer_md and sources_md.startswith("### Sources")
    assert "Bulletin du réseau addictions de Haute-Normandie" in sources_md


def test_chat_abstention_shows_closest_passages(seeded: Assistant) -> None:
    answer_md, sources_md = respond(seeded, "Quelle est la posologie maximale de la méthadone ?")
    assert "Je n'ai pas trouvé" in answer_md and "peut-être utiles" in sources_md


def test_chat_bad_question_is_one_line(seeded: Assistant) -> None:
    answer_md, sources_md = respond(seeded, "   ")
    assert answer_md == "⚠️ la question est vide" and sources_md == ""


def test_sources_escape_html(seeded: Assistant) -> None:
    ans = seeded.ask(SECRET)
    ans.citations[0].text = "<img src=x onerror=alert(1)>"
    assert "<img" not in sources_markdown(ans)
