"""Parse untrusted PDFs in a child process, with pypdf's resource limits, memory and CPU
caps, and a timeout: a malicious file can neither hang nor exhaust the server."""

from __future__ import annotations

import multiprocessing as mp
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from ..errors import DocumentError
from .loaders import Page, check_document, load_pages


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 60.0
    memory_bytes: int = 1536 * 1024 * 1024  # address space of the child
    cpu_s: int = 120
    stream_bytes: int = 50 * 1024 * 1024  # largest decompressed stream pypdf may produce
    max_pages: int = 5000


_ISOLATED = (".pdf", ".docx", ".odt")


def _kind(path: str) -> str:
    return "PDF" if path.lower().endswith(".pdf") else "document"


def _child(
    path: str, password: str | None, limits: Limits, max_bytes: int | None, conn: Connection
) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_s))
        from pypdf import apply_configuration

        n = limits.stream_bytes
        with apply_configuration(
            maximum_declared_stream_length=n,
            array_based_stream_maximum_output_length=n,
            jbig2_maximum_output_length=n,
            lzw_maximum_output_length=n,
            run_length_maximum_output_length=n,
            zlib_maximum_output_length=n,
            brotli_maximum_output_length=n,
            image_maximum_buffer_size=n,
            jbig2dec_binary=None,  # never run an external decoder on an upload
        ):
            pages = load_pages(Path(path), password=password, max_bytes=max_bytes)
        if len(pages) > limits.max_pages:
            raise DocumentError(f"{Path(path).name} : trop de pages ({len(pages)})")
        conn.send(("ok", pages))
    except DocumentError as exc:
        conn.send(("error", str(exc)))
    except MemoryError:
        conn.send(("error", f"{Path(path).name} : mémoire insuffisante pour ce {_kind(path)}"))
    except Exception as exc:  # any parser failure is the document's, reported in one line
        conn.send(("error", f"{Path(path).name} : {_kind(path)} illisible ({type(exc).__name__})"))
    finally:
        conn.close()


def load_pages_isolated(
    path: Path,
    password: str | None = None,
    limits: Limits | None = None,
    max_bytes: int | None = None,
) -> list[Page]:
    """``load_pages`` for PDFs, Word and OpenDocument files, run in a fresh child process
    under limits. The file is checked (``check_document``: format, size, content, zip
    bomb) before any parsing."""
    # Zipped XML too: a .docx/.odt may expand to 20 × the upload cap (office.py), more
    # than the server should ever parse in its own memory.
    if path.suffix.lower() not in _ISOLATED:
        return load_pages(path, password=password, max_bytes=max_bytes)  # checks the file
    check_document(path, max_bytes)  # size and header, before a child is even started
    limits = limits or Limits()
    # "spawn": a fresh interpreter; forking a parent that runs threads (Chroma, gradio)
    # is unsafe.
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child, args=(str(path), password, limits, max_bytes, child), daemon=True
    )
    proc.start()
    child.close()
    try:
        if not parent.poll(limits.timeout_s):
            raise DocumentError(
                f"{path.name} : lecture interrompue après {limits.timeout_s:g} s (fichier suspect)"
            )
        try:
            status, payload = parent.recv()
        except EOFError:
            raise DocumentError(
                f"{path.name} : la lecture a épuisé les ressources permises (fichier suspect)"
            ) from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if status != "ok":
        raise DocumentError(str(payload))
    return list(payload)
