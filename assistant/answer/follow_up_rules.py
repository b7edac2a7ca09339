"""Whether a question leans on the conversation (``FollowUpRules.read``), the earlier
question it is read with (its anchor) and what it adds (its focus); see conversation.py.
The token cues of words that point back (clitics, relative clauses, definite noun
phrases, the impersonal « il ») are in pointer_cues.py."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from ..search.lexical import FrenchAnalyzer, fold
from .pointer_cues import DEFINITE_CUE as DEFINITE_CUE
from .pointer_cues import (
    GENERIC_OWNERS,
    after_asked_phrase,
    cataphoric,
    clitic,
    definite_shell,
    impersonal,
    relative_head,
)
from .question_grammar import (
    _ADDITIVE,
    _ANAPHORIC_WORDS,
    _ARTICLES,
    _AVOIR,
    _CLAUSE_OPENERS,
    _CONJUNCTIONS,
    _DEFINITION,
    _DETERMINERS,
    _ETRE,
    _FRAME_LOCUTIONS,
    _INTERROGATIVE_DETS,
    _KNOWN_DETS,
    _NAME,
    _NOT_AFTER_CE,
    _NOT_FOCUS,
    _OBJECT_CLITICS,
    _PARTICIPLE,
    _POSSESSIVES,
    _PREPOSITIONS,
    _PRONOUNS,
    _SHELL_NOUNS,
    _SINON_COMMA,
    _STRESSED_3,
    _STRONG_OPENER,
    _SUBJECT_3,
    _TIME_NOUNS,
    _comma_then_noun_phrase,
    _dislocated,
    _f,
    _has_verb,
    _infinitive_like,
    _is_host,
    _Tok,
    _tokens,
    _verb_at,
)

Dependence = Literal["no", "maybe", "yes"]


# Words that name a text or a part of one, and what a text does: a question made of them
# only (« Quel article du code s'applique ? ») is about the conversation's topic.
_TEXT_WORDS = (
    *("texte", "article", "code", "loi", "décret", "circulaire", "arrêté", "instruction"),
    *("ordonnance", "alinéa", "disposition", "référence", "source", "document", "passage"),
    *("appliquer", "applicable", "dire", "prévoir", "parler", "citer", "concerner", "régir"),
    *("encadrer", "numéro", "exact", "précis", "préciser", "dit", "disent", "prévoit"),
    *("prévu", "prévoient", "concerne", "cite", "parle", "encadre", "applique", "précise"),
)


# The key of an assistant turn that says the user's question before it was read with the
# conversation (any non-empty value): ``chat.reply_turn`` sets it.
READ_WITH_CONVERSATION = "read_with_conversation"


@dataclass(frozen=True)
class Reading:
    """How much a question leans on the conversation, and why."""

    dependence: Dependence
    cues: tuple[str, ...] = ()


class FollowUpRules:
    """The rules above, with the analyzer that finds content words."""

    def __init__(self, analyzer: FrenchAnalyzer | None = None) -> None:
        self.analyzer = analyzer or FrenchAnalyzer()
        self._texts: set[str] | None = None

    # --- what the question has of its own -------------------------------------------------
    def own_words(self, text: str) -> list[str]:
        """Content words, less the interrogative frame ("délai" in "Dans quel délai ?")
        and the particles of comparison."""
        toks = _tokens(_FRAME_LOCUTIONS.sub(" ", text))
        kept: list[str] = []
        for i, t in enumerate(toks):
            if t.punct or t.is_(_ADDITIVE | _CONJUNCTIONS | _f("oui", "non", "quid")):
                continue
            prev = toks[i - 1] if i > 0 else None
            if prev is not None and prev.is_(_INTERROGATIVE_DETS | _f("de", "d'")):
                # "quel délai", "combien de temps"
                before = toks[i - 2] if i > 1 else None
                if prev.is_(_INTERROGATIVE_DETS) or (before and before.is_(_f("combien"))):
                    continue
            kept.extend(self.analyzer.words(t.text))
        return kept

    def read(self, question: str) -> Reading:
        text = question.strip()
        toks = _tokens(_FRAME_LOCUTIONS.sub(" quand ", text))
        words = [t for t in toks if not t.punct]
        if not words:
            return Reading("no")
        strong: list[str] = []
        weak: list[str] = []
        verb = _has_verb(toks)
        own = self.own_words(text)
        first = words[0]
        opener = first.text in _CONJUNCTIONS and not _is_host(toks, toks.index(first))

        if _STRONG_OPENER.match(text) and not self._turns_to_a_question(text):
            strong.append("ouverture elliptique")
        if not verb:
            if not own:
                strong.append("sans verbe ni groupe nominal")
            elif len(own) == 1 and first.is_(_ARTICLES | _POSSESSIVES | _f("un", "une", "des")):
                strong.append("un groupe nominal seul")  # "Le délai ?", "Les pharmaciens ?"
            elif opener or first.is_(_PREPOSITIONS) or any(t.is_(_ADDITIVE) for t in words):
                strong.append("sans verbe, ouvert par une conjonction ou une préposition")
            else:
                weak.append("sans verbe")
        elif opener and not self._names_its_own(text, toks[toks.index(first) + 1 :]):
            # « Et qui a élaboré le référentiel ? »: a continuation, with nothing of its
            # own but verbs and what the conversation named (« le référentiel »).
            strong.append(f"ouverture par « {first.text} », rien de nommé")
        elif opener:
            # « Et qu'est-ce qu'un CSAPA ? » may as well be a new topic.
            weak.append("ouverture par une conjonction")
        asks = first.is_(_f("qui", "que", "qu'", "combien", "comment", "quand", "où"))
        if verb and asks and not any(self._named_word(toks, i) for i in range(len(toks))):
            # « Qui paie ? », « Qui décide ? »: a question word and a verb, nothing named
            # (fourteenth fresh-user test: searched alone after the courses a court orders).
            strong.append("rien de nommé que le verbe")
        if verb and any(t.is_(_f("aussi", "également")) for t in words):
            weak.append("particule de comparaison")
        if own and self._only_about_texts(own):
            # « Quel article du code s'applique ? », « Que dit la loi ? »: a text, but on
            # what? Nothing of its own names a topic.
            strong.append("rien que des mots de texte")
        anaphoric, doubtful = self._anaphora(toks)
        strong.extend(anaphoric)
        weak.extend(doubtful)
        weak.extend(definite_shell(toks))
        if strong:
            return Reading("yes", tuple(strong + weak))
        if weak:
            return Reading("maybe", tuple(weak))
        return Reading("no")

    def _named_word(self, toks: list[_Tok], i: int) -> bool:
        t = toks[i]
        words = [] if t.punct or t.inverted else self.analyzer.words(t.text)
        return bool(words) and not t.is_(_NOT_FOCUS) and not self._verb(toks, i)

    @staticmethod
    def _turns_to_a_question(text: str) -> bool:
        """Whether « Sinon, » or « Et sinon, » opens a whole question of its own (« Et sinon,
        quelle est la recette de la tarte tatin ? »): "by the way", not "if not"."""
        m = _SINON_COMMA.match(text)
        return m is not None and _has_verb(_tokens(text[m.end() :]))

    def _names_its_own(self, text: str, toks: list[_Tok]) -> list[str]:
        """The words of a complete question (after its conjunction) that name a topic of
        its own: a name (« CSAPA », « Inser Santé »), what a definition is asked of, a noun
        with an indefinite or plural article (« un médecin », « les salles de
        consommation »), or the complement of one (« la recette de la tarte tatin »); not
        the verbs, nor a noun the definite article says is known (« le référentiel », « le
        dossier d'admission »: the conversation's), nor the words of texts and shells."""
        names = {m.group(0).lower() for m in _NAME.finditer(text) if m.start() > 0}
        if _DEFINITION.search(text):
            return [w for t in toks if not t.punct for w in self.analyzer.words(t.text)]
        named: list[str] = []
        for i, t in enumerate(toks):
            words = [] if t.punct or t.inverted else self.analyzer.words(t.text)
            if not words or t.is_(_NOT_FOCUS | _CONJUNCTIONS | _f("oui", "non")):
                continue
            if t.text in names:
                named.extend(words)
                continue
            if self._verb(toks, i) or t.is_(_SHELL_NOUNS) or self._only_about_texts(words):
                continue
            k = self._determiner(toks, i)
            if k < 0 or not toks[k].is_(_KNOWN_DETS):
                named.extend(words)  # « un médecin », « les CSAPA », « demain »
            elif toks[k].is_(_ARTICLES) and self._complement(toks, k):
                named.extend(words)  # « … de la tarte tatin »
        return named

    def _verb(self, toks: list[_Tok], i: int) -> bool:
        """Whether token i is a verb, a participle after its auxiliary included (« a
        élaboré », « est-il prévu »)."""
        t = toks[i]
        prev = toks[i - 1] if i > 0 else None
        if _infinitive_like(t) and not (prev is not None and prev.is_(_DETERMINERS)):
            return True
        # After « -il », « -on » comes an infinitive or a participle, never a finite verb
        # (« demain » in « Quel temps fera-t-il demain ? »).
        if (prev is None or not prev.inverted) and _verb_at(toks, i):
            return True
        j = i - 1
        while j >= 0 and (toks[j].inverted or toks[j].is_(_f("pas", "été", "ne", "n'"))):
            j -= 1
        aux = toks[j] if j >= 0 else None
        return (
            aux is not None
            and aux.is_(_AVOIR | _ETRE | _f("sont", "étaient", "seront"))
            and _PARTICIPLE.search(t.text) is not None
        )

    def _determiner(self, toks: list[_Tok], i: int) -> int:
        """Where the word before the noun phrase of token i stands, its adjectives and its
        bare complements passed (« le » for « admission » in « le dossier d'admission »);
        -1 when there is none."""
        j = i - 1
        while j >= 0:
            t = toks[j]
            if t.punct or t.inverted:
                return -1
            if t.is_(_f("de", "d'")) or (self.analyzer.words(t.text) and not self._verb(toks, j)):
                j -= 1
                continue
            return j
        return -1

    def _complement(self, toks: list[_Tok], k: int) -> bool:
        """Whether the article at k opens the complement of a noun (« la » in « la recette
        de la tarte »): the noun phrase it opens is named, not known."""
        if k < 2 or not toks[k - 1].is_(_f("de", "d'", "à")):
            return False
        before = toks[k - 2]
        return bool(self.analyzer.words(before.text)) and not self._verb(toks, k - 2)

    def _only_about_texts(self, words: list[str]) -> bool:
        """Whether every word is one naming a legal or official text, a part of one, or
        what a text does (see _TEXT_WORDS)."""
        stems = {s for w in words for s in self.analyzer.stems(w)}
        return bool(stems) and stems <= self._text_stems()

    def _text_stems(self) -> set[str]:
        if self._texts is None:
            self._texts = {s for w in _TEXT_WORDS for s in self.analyzer.stems(w)}
        return self._texts

    def _anaphora(self, toks: list[_Tok]) -> tuple[list[str], list[str]]:
        """(strong, weak) cues of words that point back."""
        strong: list[str] = []
        weak: list[str] = []
        n = len(toks)
        for i, t in enumerate(toks):
            if t.punct or t.inverted:
                # "Doit-il…"; the subject of "Le médecin doit-il…" is before it.
                # « Est-il gratuit, le dépistage … ? » names what « il » stands for after it.
                if (
                    t.is_(_SUBJECT_3)
                    and not impersonal(toks, i)
                    and not self._nouns(toks, i - 1, after_asked_phrase(toks, i))
                    and not _comma_then_noun_phrase(toks[i + 1 :])
                ):
                    strong.append(f"pronom sujet « {t.text} » sans antécédent")
                continue
            prev = toks[i - 1] if i > 0 else None
            nxt = toks[i + 1] if i + 1 < n else None
            after = toks[i + 2] if i + 2 < n else None
            if t.is_(_ANAPHORIC_WORDS):
                # "L'intervision, ça porte sur quoi ?": "ça" takes up a noun said before it.
                if not (t.is_(_f("ça", "cela", "ceci")) and self._nouns(toks, i)) and not (
                    _dislocated(toks, i)
                ):
                    strong.append(f"anaphore « {t.text} »")
            elif t.is_(_f("c'")) and nxt is not None and nxt.is_(_ETRE):
                # "C'est renouvelable ?", but not "C'est quoi, un CSAPA ?" nor "Qu'est-ce
                # que c'est, un CAARUD ?" where a noun phrase follows.
                if not self._nouns(toks, i) and not cataphoric(toks[i + 2 :]):
                    strong.append("« c'est » sans antécédent")
            elif t.is_(_f("ce", "cet", "cette", "ces")):
                if nxt is None or nxt.punct or nxt.is_(_NOT_AFTER_CE | _TIME_NOUNS):
                    continue
                if nxt.folded.startswith("derni") and after is not None and after.is_(_TIME_NOUNS):
                    continue
                # With nouns before, the demonstrative may point at one of them.
                cue = f"démonstratif « {t.text} {nxt.text} »"
                (weak if self._nouns(toks, i) else strong).append(cue)
            elif (
                t.is_(_POSSESSIVES)
                and nxt is not None
                and not nxt.punct
                and not (_infinitive_like(nxt) or _is_host(toks, i + 1))
            ):
                # "Quel est son rôle ?"; in "Un médecin peut-il lire son dossier ?" the
                # owner is named before, in « Peut-on garder son anonymat ? » it is « on ».
                # « Quel organisme doit donner son avis … ? »: the one asked about.
                asked = toks[0].is_(_f("qui")) or (
                    toks[0].is_(_INTERROGATIVE_DETS) and len(toks) > 2 and _verb_at(toks, 2)
                )
                if not (self._nouns(toks, i) or asked or any(x.is_(GENERIC_OWNERS) for x in toks)):
                    strong.append(f"possessif « {t.text} » sans antécédent")
            elif (
                t.is_(_f("tel", "telle", "tels", "telles"))
                and prev is not None
                and prev.is_(_f("un", "une", "de", "d'"))
                and nxt is not None
                and not nxt.punct
            ):
                # « avant un tel échange », « une telle mesure »: what was just spoken of.
                strong.append(f"anaphore « {prev.text} {t.text} {nxt.text} »")
            elif t.is_(_f("celui", "celle", "ceux", "celles")):
                # « celles d'un CAARUD », « Et celui sur les stupéfiants, … ? »; not the
                # generic « celui qui consomme ».
                if nxt is None or nxt.punct or nxt.inverted or nxt.is_(_PREPOSITIONS):
                    strong.append(f"pronom démonstratif « {t.text} »")
            elif t.is_(_f("lequel", "laquelle", "lesquels", "lesquelles")):
                # « Lequel concerne les drogues ? »: which of those just listed.
                if not self._nouns(toks, i):
                    strong.append(f"pronom interrogatif « {t.text} »")
            elif t.is_(_f("même", "mêmes")) and prev is not None and prev.is_(_ARTICLES):
                # "sur le même territoire" after "plusieurs structures" compares within.
                (weak if self._nouns(toks, i) else strong).append("« le même »")
            elif t.is_(_SUBJECT_3) and prev is not None and prev.is_(_PREPOSITIONS):
                if not self._nouns(toks, i - 1):
                    strong.append(f"pronom « {prev.text} {t.text} » sans antécédent")
            elif t.is_(_SUBJECT_3) and not impersonal(toks, i):
                if not self._nouns(toks, relative_head(toks, i)):
                    strong.append(f"pronom sujet « {t.text} » sans antécédent")
            elif t.is_(_STRESSED_3) and prev is not None and prev.is_(_PREPOSITIONS):
                if not self._nouns(toks, i - 1):
                    strong.append(f"pronom « {prev.text} {t.text} » sans antécédent")
            elif clitic(toks, i) and not self._nouns_outside_clause(toks, i):
                # A clitic never takes up the subject of its own clause: "Le patient
                # doit-il en être informé ?" speaks of something said before.
                strong.append(f"pronom « {t.text} »")
        return strong, weak

    def _nouns_outside_clause(self, toks: list[_Tok], i: int) -> list[str]:
        """Nouns before the clause of token i ("qui le suit": the nouns before "qui")."""
        j = i - 1
        while j > 0 and toks[j].is_(_OBJECT_CLITICS | _PRONOUNS):
            j -= 1
        if j > 0 and toks[j].is_(_f("pour", "de", "d'", "sans", "afin", "à", "avant", "après")):
            return self._nouns(toks, j)  # an infinitive clause: "…pour le soigner ?"
        # « s' » opens a clause as « si » only before « il(s) » (« s'il refuse »), not
        # as the reflexive of « s'y opposer ».
        starts = [
            j
            for j in range(i)
            if toks[j].is_(_CLAUSE_OPENERS)
            and j > 0
            and not (toks[j].is_(_f("s'")) and not toks[j + 1].is_(_f("il", "ils")))
        ]
        return self._nouns(toks, starts[-1]) if starts else []

    def _nouns(self, toks: list[_Tok], end: int, start: int = 0) -> list[str]:
        """Content words before token ``end`` (from ``start``) that are not verbs:
        possible antecedents."""
        nonverbs = [t for j, t in enumerate(toks[:end]) if j >= start and not _verb_at(toks, j)]
        return self.own_words(_join(nonverbs))

    # --- the conversation ----------------------------------------------------------------------
    def anchor(self, history: Sequence[Mapping[str, str]]) -> str:
        """The last user question that stood on its own, as typed.

        A user turn may hold a question already read with an earlier one ("Q1 ? Et pour
        les pharmaciens ?"): its questions are looked at one by one, from the last. A
        question the chat read with the conversation (its reply says so, see
        ``READ_WITH_CONVERSATION``) did not stand on its own, whatever its grammar: after
        « Qui s'en occupe ? » read with « Un CSAPA peut-il délivrer des médicaments ? »,
        « Où doivent-ils être stockés ? » is read with the latter."""
        fallback = ""
        for i in range(len(history) - 1, -1, -1):
            turn = history[i]
            if turn.get("role") != "user" or not (turn.get("content") or "").strip():
                continue
            reply = history[i + 1] if i + 1 < len(history) else {}
            read_with = reply.get("role") == "assistant" and bool(reply.get(READ_WITH_CONVERSATION))
            for j, q in enumerate(reversed(split_questions(turn["content"]))):
                fallback = fallback or q
                if not (j == 0 and read_with) and self.read(q).dependence != "yes":
                    return q
        return fallback

    def verbs(self, question: str) -> set[str]:
        """The words of ``question`` read as verbs (« occupe » in « Qui s'en occupe ? »,
        « piloté » in « Qui a piloté … ? »): the texts write the act their own way
        (« assurés par », « sous l'égide de »), so a note that they lack the verb would
        mislead (browser test, session 19)."""
        toks = _tokens(question)
        return {
            w
            for i, t in enumerate(toks)
            if self._verb(toks, i)
            for w in self.analyzer.words(t.text)
        }

    def focus(self, question: str, anchor: str) -> tuple[str, ...]:
        """The content words the question brings that the anchor does not have."""
        a = self.analyzer
        known = set(a.stems(anchor))
        out: list[str] = []
        # Words about texts (« Quel article du code s'applique ? ») ask which text, not
        # about a topic the answer must name.
        seen: set[str] = known | self._text_stems()
        for t in _tokens(question):
            # Auxiliaries, modals and adverbs say nothing the answer could be about;
            # "délai" in "Dans quel délai ?" does.
            if t.punct or t.is_(_NOT_FOCUS | _MEASURE_WORDS) or t.text in _CONJUNCTIONS:
                continue
            if any(c.isdigit() for c in t.text):
                continue  # « Et l'article L3411-8 ? »: a number is no word to look for
            for w in a.words(t.text):
                stem = fold(a.stems(w)[0]) if a.stems(w) else w
                if stem not in seen:
                    seen.add(stem)
                    out.append(w)
        return tuple(out)


# The words that say how much or how long is asked, not about what (« Combien de temps
# ça dure ? », « Combien ça coûte au maximum ? »): the answer writes « six mois ».
_MEASURE_WORDS = _f("temps", "maximum", "minimum", "max", "maxi", "environ", "total", "pile")


def _join(toks: Sequence[_Tok]) -> str:
    return " ".join(("-" if t.inverted else "") + t.text for t in toks)


def split_questions(text: str) -> list[str]:
    """The questions of a text ("Q1 ? Q2 ?" -> ["Q1 ?", "Q2 ?"])."""
    parts = [p.strip() for p in re.findall(r"[^?]+\??", text)]
    return [p for p in parts if re.search(r"\w", p)] or [text.strip()]
