from assistant.ingest.chunking import CleanPage, chunk_document, heading_level
from assistant.ingest.cleaning import clean_text
from assistant.ingest.sentences import split


def test_narrow_columns_are_joined_and_hyphens_rejoined() -> None:
    raw = (
        "Voici votre nouveau bul-\nletin.\n\nC'est un moyen de déve-\nlopper des pratiques\n"
        "inter professionnelles nouvelles dans une\n\ndynamique de coopération.\n"
    )
    out = clean_text(raw)
    assert "Voici votre nouveau bulletin." in out
    assert (
        "C'est un moyen de développer des pratiques inter professionnelles nouvelles "
        "dans une dynamique de coopération." in out
    )


def test_compound_hyphen_kept_when_the_document_uses_it() -> None:
    raw = "Une prise en charge médico-sociale.\n\nUn suivi médico-\nsocial renforcé.\n"
    assert "médico-social renforcé" in clean_text(raw)
    assert "Seine-Saint-Denis" in clean_text("en Seine-\nSaint-Denis.")


def test_running_marks_and_markup_dropped() -> None:
    raw = (
        "Fin de page.\n\n.../...\n\nSuite du texte le 1<sup>er</sup> mars, **en gras**.\n\n.....\n"
    )
    out = clean_text(raw)
    assert ".../..." not in out and "....." not in out
    assert "le 1er mars, en gras." in out


def test_list_items_stay_on_their_own_lines() -> None:
    out = clean_text("Il s'agit d'assurer :\n– la continuité des soins,\n– la prise en charge.")
    assert out.splitlines() == [
        "Il s'agit d'assurer :",
        "– la continuité des soins,",
        "– la prise en charge.",
    ]


def test_sentences_respect_french_abbreviations() -> None:
    text = "Selon l'article L. 1110-4, M. Dupont peut partager. II. Une autre phrase ?"
    assert split(text) == [
        "Selon l'article L. 1110-4, M. Dupont peut partager.",
        "II. Une autre phrase ?",
    ]


def test_headings_of_markdown_legal_and_bulletins() -> None:
    body = "Un paragraphe de corps assez long pour être un vrai paragraphe de texte courant."
    assert heading_level("## Origine", body) == (2, "Origine")
    assert heading_level("Article L1110-4", body) == (5, "Article L1110-4")
    assert heading_level("Chapitre II Réseaux de santé", body)[0] == 2  # type: ignore[index]
    assert heading_level("La question du secret professionnel", body) is not None
    assert heading_level("Paris, le 4 novembre 2009", body) is None
    assert heading_level("Une phrase complète.", body) is None


def test_chunks_keep_section_path_page_and_span() -> None:
    text = clean_text(
        "# Guide\n\n## Secret\n\nPremier paragraphe sur le secret partagé entre professionnels.\n\n"
        "## Réseaux\n\n" + "Une phrase sur les réseaux de santé. " * 60
    )
    full, chunks = chunk_document("guide", [CleanPage(text, 3, "iii")], max_chars=400)
    assert chunks[0].section == "Guide > Secret"
    assert all(c.section == "Guide > Réseaux" for c in chunks[1:])
    assert len(chunks) > 3 and all(len(c.text) <= 400 for c in chunks)
    for c in chunks:
        assert full[c.start : c.end] == c.text
        assert (c.page, c.page_label) == (3, "iii")


def test_chunk_ids_derive_from_content() -> None:
    pages = [CleanPage("Premier paragraphe.\n\nSecond paragraphe.")]
    _, a = chunk_document("d", pages, max_chars=20)
    _, b = chunk_document("d", pages, max_chars=20)
    assert [c.chunk_id for c in a] == [c.chunk_id for c in b]
    _, c = chunk_document("d", [CleanPage("Premier paragraphe.\n\nAutre paragraphe.")], 20)
    assert a[0].chunk_id == c[0].chunk_id and a[1].chunk_id != c[1].chunk_id


def test_pdf_pages_do_not_mix_in_a_chunk() -> None:
    full, chunks = chunk_document("d", [CleanPage("Page un.", 1), CleanPage("Page deux.", 2)])
    assert [(c.text, c.page) for c in chunks] == [("Page un.", 1), ("Page deux.", 2)]
    assert full[chunks[1].start : chunks[1].end] == "Page deux."


def test_numbered_parts_of_an_article_join_the_section_path() -> None:
    text = clean_text(
        "Article L1110-4\n\nI.-Toute personne a droit au respect de sa vie privée.\n\n"
        "Ce secret couvre l'ensemble des informations.\n\n"
        "II.-Un professionnel peut échanger des informations.\n\n"
        "III bis.-Un professionnel de santé des armées peut échanger."
    )
    _, chunks = chunk_document("l", [CleanPage(text)], max_chars=60)
    sections = [(c.section, c.text[:12]) for c in chunks]
    assert sections == [
        ("Article L1110-4 > I", "I.-Toute per"),
        ("Article L1110-4 > I", "Ce secret co"),
        ("Article L1110-4 > II", "II.-Un profe"),
        ("Article L1110-4 > III bis", "III bis.-Un "),
    ]
