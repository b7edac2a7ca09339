"""The chat's handlers: plain generators over plain values (a turn, a vote, a comment, a
saved conversation reopened), tested without a browser. No gradio import."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from assistant import AssistantError, Filters
from assistant.answer.generation import Delta, Progress
from assistant.chat import ChatEngine, TurnResult, Understood, reply_turn
from assistant.feedback import COMMENT_MAX, FeedbackStore
from assistant.search.retrieval import parse_date

from . import conversations as convs
from .conversations import citation_record
from .library import document_rows, documents_html, filter_rows
from .render import (
    answer_markdown,
    partial_markdown,
    passage_record,
    sources_html,
    sources_panel,
    turn_sources_html,
)

_SENTENCE_END = re.compile(r"\[\d+\]")

log = logging.getLogger(__name__)

INTERNAL_ERROR = (
    "⚠️ Erreur interne : la question n'a pas pu être traitée. Elle est remise dans le "
    "champ de saisie ; réessayez dans un instant."
)


TURNS_KEPT = 5  # sources panels kept per session (older markers stop working)


def new_session() -> dict[str, Any]:
    return {"turns": [], "sections": [], "feedback_id": None}


def parse_filters(
    types: list[str] | None, date_from: str | None, date_to: str | None, in_force: bool
) -> Filters:
    return Filters(
        types=tuple(types or ()),
        date_from=parse_date(date_from, "date de début"),
        date_to=parse_date(date_to, "date de fin"),
        in_force_only=bool(in_force),
    )


@dataclass
class ChatHandlers:
    engine: ChatEngine
    feedback: FeedbackStore

    def respond(
        self,
        message: str,
        chat: list[dict[str, Any]] | None,
        session: dict[str, Any] | None,
        types: list[str] | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        in_force: bool = False,
    ) -> Iterator[tuple[list[dict[str, Any]], str, dict[str, Any], str]]:
        """Yields (chat messages, sources panel HTML, session, textbox) as the turn goes."""
        chat = list(chat or [])
        session = session or new_session()
        turn = len(session["turns"]) + 1
        if not (message or "").strip():
            # Nothing asked: the conversation stays as it is (a generator that yields
            # nothing would leave gradio to blank the chat and the saved session).
            yield chat, sources_panel(session["sections"]), session, ""
            return
        # The question is shown only once masked.
        chat.append({"role": "user", "content": "…"})
        chat.append({"role": "assistant", "content": "*Recherche dans les documents…*"})
        panel = sources_panel(session["sections"])
        yield chat, panel, session, ""
        history = [
            m
            for t in session["turns"]
            for m in (t["user"], t.get("reply") or {"role": "assistant", "content": t["answer"]})
        ]
        understood: Understood | None = None
        try:
            filters = parse_filters(types, date_from, date_to, in_force)
            for event in self.engine.stream(message, history, filters):
                if isinstance(event, Understood):
                    understood = event
                    chat[-2] = {"role": "user", "content": event.masked.text}
                    yield chat, panel, session, ""
                elif isinstance(event, Progress):
                    # Nothing checked yet: the user sees that the answer is being written,
                    # never the draft (it may cite what was not given, or carry an image).
                    chat[-1] = {"role": "assistant", "content": f"*{event.text}*"}
                    yield chat, panel, session, ""
                elif isinstance(event, Delta):
                    # Sentences that passed the check, as they will stay.
                    assert understood is not None
                    chat[-1] = {
                        "role": "assistant",
                        "content": partial_markdown(
                            event.text,
                            turn,
                            understood.reformulation,
                            understood.masked.warning(),
                        ),
                    }
                    yield chat, panel, session, ""
                elif isinstance(event, TurnResult):
                    yield from self._finish(event, chat, session, turn)
        except AssistantError as exc:
            if understood is None:
                chat[-2] = {"role": "user", "content": "(question non traitée)"}
            chat[-1] = {"role": "assistant", "content": f"⚠️ {exc}"}
            yield chat, panel, session, ""
        except Exception:
            # A fault of ours (thirteenth fresh-user test: a question asked during the
            # first indexing showed gradio's English « Error » and lost the question): said
            # in French, told in the log, the question given back to be asked again.
            log.exception("question non traitée")
            if understood is None:
                chat[-2] = {"role": "user", "content": "(question non traitée)"}
            chat[-1] = {"role": "assistant", "content": INTERNAL_ERROR}
            yield chat, panel, session, message

    def _finish(
        self, result: TurnResult, chat: list[dict[str, Any]], session: dict[str, Any], turn: int
    ) -> Iterator[tuple[list[dict[str, Any]], str, dict[str, Any], str]]:
        u = result.understood
        a = result.answer
        content = answer_markdown(a, turn, u.reformulation, result.notice, u.masked.warning())
        if not a.generated and not a.abstained:
            # The extractive answer is ready at once; it still arrives sentence by sentence
            # so that reading starts before the sources panel is drawn.
            for cut in [m.end() for m in _SENTENCE_END.finditer(a.answer)][:-1]:
                part = replace(a, answer=a.answer[:cut], notes=[])
                chat[-1] = {
                    "role": "assistant",
                    "content": answer_markdown(part, turn, u.reformulation, "", u.masked.warning()),
                }
                yield chat, sources_panel(session["sections"]), session, ""
        chat[-1] = {"role": "assistant", "content": content}
        session["turns"].append(
            {
                # As typed (masked): a follow-up is read with the last standalone question,
                # never with an earlier rewriting.
                "user": {"role": "user", "content": u.masked.text},
                "answer": a.answer,
                # What the next turn reads: the answer, and whether this question was read
                # with the conversation (then a later follow-up is not read with it).
                "reply": reply_turn(result),
                "bot_index": len(chat) - 1,
                "sources": [c.doc_id for c in a.citations],
                "abstained": a.abstained,
                "generated": a.generated,
                "notes": list(a.notes),
                "citations": [citation_record(c) for c in a.citations],
                "maybe": [passage_record(p, a.notices.get(p.chunk_id, "")) for p in a.maybe_useful],
            }
        )
        session["sections"] = [*session["sections"], sources_html(a, turn)][-TURNS_KEPT:]
        yield chat, sources_panel(session["sections"]), session, ""

    def like(
        self, index: Any, liked: Any, session: dict[str, Any] | None
    ) -> tuple[int | None, str]:
        """Record a 👍/👎 on the answer at chat position ``index``; (feedback id, message)."""
        session = session or new_session()
        pos = index[0] if isinstance(index, (list, tuple)) else index
        turn = next((t for t in session["turns"] if t["bot_index"] == pos), None)
        if turn is None:
            return None, "Avis non enregistré : réponse introuvable."
        rating = 1 if liked is True or liked == "Like" else -1
        store_q = turn["user"]["content"]
        fid = self.feedback.record(
            rating, turn["sources"], turn["abstained"], store_q, turn["generated"]
        )
        session["feedback_id"] = fid
        if rating > 0:
            return fid, "Merci pour votre avis."
        return fid, "Merci. Pouvez-vous préciser ce qui ne va pas ?"

    def reason(self, reason: str | None, session: dict[str, Any] | None) -> str:
        fid = (session or {}).get("feedback_id")
        if not reason or fid is None:
            return ""
        self.feedback.set_reason(int(fid), reason)
        if reason == "autre":
            return "Motif enregistré. Vous pouvez préciser ci-dessous (facultatif)."
        return "Motif enregistré, merci."

    def comment(self, text: str | None, session: dict[str, Any] | None) -> tuple[str, str]:
        """The free text of a « autre » feedback, masked as a question is, then stored;
        (message, new content of the box)."""
        fid = (session or {}).get("feedback_id")
        text = " ".join((text or "").split())[:COMMENT_MAX]
        if fid is None or not text:
            return "", ""
        masked = self.engine.privacy.mask(text)
        store_comment(self.feedback, int(fid), masked.text)
        if masked.changed:
            return "Précision enregistrée (données de patient masquées), merci.", ""
        return "Précision enregistrée, merci.", ""

    def documents(self, query: str | None = "") -> str:
        """The « Documents » view: every document of the base, filtered by ``query``."""
        settings = self.engine.assistant.settings
        rows = document_rows(settings.corpus_dir, settings.max_age_years)
        return documents_html(filter_rows(rows, query or ""), len(rows))

    # --- Conversations kept in the browser ------------------------------------------------

    def _view(self, store: dict[str, Any]) -> tuple[Any, ...]:
        """(chat, panel, session, store, list choices, list value, export choices) for
        the current conversation of ``store``."""
        conv = convs.find(store, store["current"])
        session = session_from(conv)
        chat = clean_chat(conv["chat"]) if conv else []
        return (
            chat,
            sources_panel(session["sections"]),
            session,
            store,
            convs.choices(store),
            store["current"] if conv else None,
            convs.export_choices(session["turns"]),
        )

    def restore(self, store: Any) -> tuple[Any, ...]:
        return self._view(convs.valid_store(store))

    def save(
        self, chat: list[dict[str, Any]] | None, session: dict[str, Any] | None, store: Any
    ) -> tuple[dict[str, Any], list[tuple[str, str]], str | None, list[tuple[str, str]]]:
        session = session or new_session()
        store = convs.save_turns(store, chat or [], session["turns"])
        current = store["current"] if convs.find(store, store["current"]) else None
        return store, convs.choices(store), current, convs.export_choices(session["turns"])

    def open(self, conv_id: str | None, store: Any) -> tuple[Any, ...]:
        store = convs.valid_store(store)
        if conv_id and convs.find(store, conv_id):
            store["current"] = conv_id
        return self._view(store)

    def new(self, store: Any) -> tuple[Any, ...]:
        store = convs.valid_store(store)
        store["current"] = convs.new_id()
        return self._view(store)

    def delete(self, store: Any) -> tuple[Any, ...]:
        store = convs.valid_store(store)
        return self._view(convs.delete(store, store["current"]))

    def delete_all(self, store: Any) -> tuple[Any, ...]:
        return self._view(convs.new_store())

    def export(self, which: str | None, fmt: str, session: dict[str, Any] | None) -> str:
        """The JSON the page turns into a download: name, type and content."""
        turns = (session or new_session())["turns"]
        if not turns:
            return ""
        n = int(which) if which and which.isdigit() else None
        stem = f"reponse-{n}" if n else "conversation"
        stamp = dt.date.today().isoformat()
        if fmt == "html":
            content = convs.export_html(turns, n)
            name, mime = f"{stem}-{stamp}.html", "text/html;charset=utf-8"
        else:
            content = convs.export_markdown(turns, n)
            name, mime = f"{stem}-{stamp}.md", "text/markdown;charset=utf-8"
        # A nonce: the same export twice is still a change, so the download runs again.
        return json.dumps(
            {"name": name, "mime": mime, "content": content, "nonce": convs.new_id()},
            ensure_ascii=False,
        )


def store_comment(feedback: FeedbackStore, feedback_id: int, masked: str) -> None:
    """Keep the masked free text of a feedback beside it."""
    feedback.set_comment(feedback_id, masked)


def clean_chat(chat: Any) -> list[dict[str, Any]]:
    """Chat messages from the browser's store: roles and texts only."""
    out = []
    for m in chat if isinstance(chat, list) else []:
        if isinstance(m, dict) and m.get("role") in ("user", "assistant"):
            out.append({"role": m["role"], "content": convs.message_text(m.get("content", ""))})
    return out


def _clean_turn(t: Any) -> dict[str, Any] | None:
    if not isinstance(t, dict) or not isinstance(t.get("user"), dict):
        return None
    try:
        return {
            "user": {"role": "user", "content": convs.message_text(t["user"].get("content", ""))},
            "answer": str(t.get("answer", "")),
            "bot_index": int(t.get("bot_index", -1)),
            "sources": [str(x) for x in t.get("sources") or []],
            "abstained": bool(t.get("abstained")),
            "generated": bool(t.get("generated")),
            "notes": [str(x) for x in t.get("notes") or []],
            "citations": [c for c in t.get("citations") or [] if isinstance(c, dict)],
            "maybe": [p for p in t.get("maybe") or [] if isinstance(p, dict)],
        }
    except (TypeError, ValueError):
        return None


def session_from(conv: dict[str, Any] | None) -> dict[str, Any]:
    """The server's session for a conversation reopened from the browser's store: its
    turns, and the sources panels of the last ones drawn again (escaped)."""
    session = new_session()
    if conv is None:
        return session
    turns = [t for t in (_clean_turn(x) for x in conv.get("turns") or []) if t]
    session["turns"] = turns
    sections = []
    for i, t in enumerate(turns, start=1):
        cites = [c for c in (convs.citation_from(r) for r in t["citations"]) if c]
        sections.append(turn_sources_html(t["abstained"], cites, t["maybe"], i))
    session["sections"] = sections[-TURNS_KEPT:]
    return session
