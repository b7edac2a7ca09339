"""OCR of scanned PDF pages (French), through Tesseract with its French model.

Tesseract is a system program (Debian: ``tesseract-ocr`` and ``tesseract-ocr-fra``), run
as a subprocess: nothing is loaded at import, and the assistant installs and runs
without it (scanned pages then stay unread, with a warning saying what to install).
It was chosen over rapidocr (``evals/ocr_bench.py``): rapidocr's offline models are the
Chinese/English ones, whose character set lacks ê, â, ç, ù, î, ô, œ, À, Ç, «.

An engine is anything with ``name`` and ``read(image) -> str`` (``OcrEngine``); the
loader takes one by injection, or ``default_engine()`` when given none.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PIL.Image import Image

# What the warnings say when no engine reads scans (one line, French).
MISSING_MESSAGE = (
    "OCR indisponible : les pages scannées ne sont pas lues "
    "(installer les paquets tesseract-ocr et tesseract-ocr-fra)"
)
# Images smaller than this (in pixels) are logos or stamps, not a scanned page.
MIN_PIXELS = 100_000
# Tesseract reads best at about 300 dots per inch; a scan coarser than this is upscaled.
TARGET_DPI = 300
_MIN_DPI = 250
_MAX_UPSCALE = 3.0
_MAX_PIXELS = 40_000_000  # an upscaled A3 page at 300 dpi is 17 million


class OcrError(Exception):
    """The engine failed on one image (crash, time-out): the page stays unread."""


class OcrEngine(Protocol):
    """Reads the text of one page image."""

    name: str

    def read(self, image: Image) -> str:
        """The text of ``image`` (a PIL image of any mode), lines separated by "\\n" and
        paragraphs by a blank line. Raises OcrError."""
        ...


class TesseractEngine:
    """Tesseract 4/5 with its LSTM French model (``-l fra``), one page per subprocess,
    one thread (the machine's cores are shared)."""

    name = "tesseract"

    def __init__(self, binary: str = "tesseract", lang: str = "fra", timeout_s: float = 60.0):
        self.binary = binary
        self.lang = lang
        self.timeout_s = timeout_s

    def available(self) -> bool:
        """True when the program runs and has the language's model."""
        return self.lang in _tesseract_langs(self.binary)

    def read(self, image: Image) -> str:
        buf = io.BytesIO()
        image.save(buf, format="PNG")
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            done = subprocess.run(
                [self.binary, "stdin", "stdout", "-l", self.lang, "--psm", "3"],
                input=buf.getvalue(),
                capture_output=True,
                timeout=self.timeout_s,
                env=env,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise OcrError(f"tesseract : {type(exc).__name__}") from None
        if done.returncode != 0:
            raise OcrError(f"tesseract : code {done.returncode}")
        return done.stdout.decode("utf-8", errors="replace").replace("\f", "")


@functools.lru_cache(maxsize=4)
def _tesseract_langs(binary: str) -> frozenset[str]:
    path = shutil.which(binary)
    if path is None:
        return frozenset()
    try:
        done = subprocess.run(
            [path, "--list-langs"], capture_output=True, timeout=20, check=False, text=True
        )
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    # The first line is a header ("List of available languages in …").
    return frozenset(line.strip() for line in done.stdout.splitlines()[1:] if line.strip())


def default_engine() -> OcrEngine | None:
    """Tesseract with French when installed, else None (scanned pages are not read).

    ``ASSISTANT_OCR=off`` turns OCR off. Nothing is started at import; the program's
    languages are asked once per process.
    """
    if os.environ.get("ASSISTANT_OCR", "").strip().lower() in ("off", "0", "non", "false"):
        return None
    engine = TesseractEngine()
    return engine if engine.available() else None


def prepare(image: Image, dpi: float | None = None) -> Image:
    """A page image as the engine reads it best: greyscale (transparency on white),
    upscaled (at most 3×, to at most 40 million pixels) to about 300 dpi when ``dpi``
    (its resolution on the page, dots per inch) is lower than 250."""
    from PIL import Image as PILImage

    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        white = PILImage.new("RGBA", image.size, "white")
        image = PILImage.alpha_composite(white, image)
    image = image.convert("L")
    if dpi and dpi < _MIN_DPI:
        factor = min(TARGET_DPI / dpi, _MAX_UPSCALE)
        size = (round(image.width * factor), round(image.height * factor))
        if size[0] * size[1] <= _MAX_PIXELS:  # an odd page size is no reason to blow up
            image = image.resize(size, PILImage.Resampling.LANCZOS)
    return image


def tidy(text: str) -> str:
    """The engine's output as page text: lines stripped, runs of blank lines made one,
    and a heading that OCR read on the line of the sentence after it (« RÉSEAUX DE SANTÉ
    EN ADDICTOLOGIE Les réseaux permettent … », ``sentences.glued_heading``) put on a
    line of its own, where the cleaner and the chunker take it for a heading."""
    from .sentences import glued_heading

    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            cut = glued_heading(line)
            if cut is not None:
                out.extend([line[:cut], line[cut:].lstrip()])
            else:
                out.append(line)
    return "\n".join(out).strip()
