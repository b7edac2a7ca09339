"""What a reader must know about a text's validity before acting on it: one rule for the
chat's citations and sources, and for the « Documents » list and reader.

A text is flagged when it is repealed (« abroge ») or replaced (« remplace »), when it is
older than ``max_age_years`` (default 10, ``ASSISTANT_MAX_AGE_YEARS``: a circular of 2000
may still be in force, but nobody should act on it without checking), or when it is a
legal text whose version the corpus does not date (« en vigueur » alone would vouch for
a wording nobody dated).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from ..search.rerank import LEGAL_TYPES


def validity_notice(
    meta: Mapping[str, Any],
    today: dt.date,
    max_age_years: int,
    describe: Callable[[str], str] = str,
) -> str:
    """The notice of a text ("" when none), from its record: ``status`` (en_vigueur,
    remplace, abroge), ``replaced_by`` (a document id, named by ``describe``), ``date``
    (ISO, « AAAA-MM-JJ ») and ``type`` (``LEGAL_TYPES`` are the legal texts)."""
    status = str(meta.get("status") or "en_vigueur")
    replaced_by = str(meta.get("replaced_by") or "")
    if status == "abroge":
        return "texte abrogé" + (f", remplacé par {describe(replaced_by)}" if replaced_by else "")
    if status == "remplace":
        return "texte remplacé" + (f" par {describe(replaced_by)}" if replaced_by else "")
    date = str(meta.get("date") or "")
    if date:
        year = int(date[:4])
        if today.year - year > max_age_years:
            return f"texte de {year} : vérifier qu'il est toujours d'actualité"
    elif meta.get("type") in LEGAL_TYPES:
        return "texte non daté : vérifier la version en vigueur"
    return ""
