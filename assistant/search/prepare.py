"""One document made ready for the index: its pages loaded in isolation, cleaned and cut
into chunks and answer units, with the records, texts and warnings the index keeps."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import DocumentError
from ..ingest.chunking import Chunk, chunk_document
from ..ingest.corpus import CorpusEntry
from ..ingest.page_cleaning import clean_pages
from ..ingest.safe_loading import Limits, load_pages_isolated
from ..ingest.sentences import answer_units
from .retrieval import date_int
from .store import Metadata

# Bump when cleaning or chunking changes: every document is then re-chunked and re-embedded.
PIPELINE_VERSION = "13"


@dataclass
class PreparedDocument:
    entry: CorpusEntry
    content_hash: str
    text: str  # cleaned text, that chunk spans point into
    chunks: list[Chunk]
    page_count: int = 0  # physical pages of a PDF; 0 for a text file
    blank_pages: list[int] = field(default_factory=list)  # PDF pages without text (images)

    def metadatas(self) -> list[Metadata]:
        m = self.entry.meta
        return [
            {
                "doc_id": self.entry.doc_id,
                "chunk_id": c.chunk_id,
                "chunk_index": c.index,
                **m.record(),
                "date_int": date_int(m.date) if m.date else 0,
                "page": c.page or 0,
                "page_label": c.page_label or "",
                # The last page of a chunk that runs onto the next one; 0 (or absent, in
                # indexes written before) when the chunk lies on one page.
                "page_end": c.page_end or 0,
                "page_end_label": c.page_end_label or "",
                # Read by OCR from a scanned page (absent in indexes written before).
                "ocr": c.ocr,
                "doc_pages": self.page_count,
                "blank_pages": ", ".join(map(str, self.blank_pages)),
                "section": c.section,
                "start": c.start,
                "end": c.end,
                "content_hash": self.content_hash,
                # The completion marker: the version is whole when this many chunks carry
                # its hash (see ChunkStore.doc_hashes); units are written before chunks.
                "doc_chunks": len(self.chunks),
                "source_file": self.entry.path.name,
            }
            for c in self.chunks
        ]

    def units(self, chunk_metas: list[Metadata]) -> tuple[list[str], list[str], list[Metadata]]:
        """(ids, texts, metadatas) of the answer units of every chunk."""
        ids, texts, metas = [], [], []
        for c, cm in zip(self.chunks, chunk_metas, strict=True):
            for s, e in answer_units(c.text):
                ids.append(f"{c.chunk_id}/{s}-{e}")
                texts.append(c.text[s:e])
                metas.append(
                    {
                        "chunk_id": c.chunk_id,
                        "start": s,
                        "end": e,
                        **{k: cm[k] for k in ("doc_id", "type", "date_int", "status")},
                    }
                )
        return ids, texts, metas

    def embedding_texts(self) -> list[str]:
        # The title and the section path give a short chunk the context it lacks.
        title = self.entry.meta.title
        return ["\n".join(x for x in (title, c.section, c.text) if x) for c in self.chunks]


def prepare(
    entry: CorpusEntry, max_chars: int = 800, pdf_limits: Limits | None = None
) -> PreparedDocument:
    """Load, clean and chunk one document. Raises DocumentError with a one-line reason.

    A PDF is parsed in a child process under ``pdf_limits`` (``safe_loading``), whatever
    way it came into the corpus: a hostile file is reported, never fatal to the sync.
    """
    pages = load_pages_isolated(entry.path, limits=pdf_limits)
    text, chunks = chunk_document(entry.doc_id, clean_pages(pages), max_chars=max_chars)
    if not chunks:
        raise DocumentError(f"{entry.path.name} : document vide après nettoyage")
    numbered = [p for p in pages if p.number is not None]
    return PreparedDocument(
        entry,
        entry.content_hash(pipeline_version(max_chars)),
        text,
        chunks,
        page_count=len(numbered),
        blank_pages=[p.number for p in numbered if p.number and not p.text.strip()],
    )


def blank_pages_warning(doc: PreparedDocument) -> str | None:
    """The French warning naming a PDF's pages without text (images, scans), if any."""
    if not doc.blank_pages:
        return None
    name, listed = doc.entry.path.name, ", ".join(map(str, doc.blank_pages))
    if len(doc.blank_pages) == 1:
        return (
            f"{name} : la page {listed} (sur {doc.page_count}) n'a pas de texte "
            "(image ou scan, OCR non pris en charge) : elle n'est pas indexée"
        )
    return (
        f"{name} : les pages {listed} (sur {doc.page_count}) n'ont pas de texte "
        "(images ou scan, OCR non pris en charge) : elles ne sont pas indexées"
    )


def pipeline_version(max_chars: int) -> str:
    """What, besides the file and its metadata, decides the chunks."""
    return f"{PIPELINE_VERSION}/{max_chars}"


def lexical_text(text: str, metadata: Metadata) -> str:
    # The section path is part of what a chunk is about; the title would weigh on every chunk.
    return f"{metadata.get('section', '')}\n{text}"
