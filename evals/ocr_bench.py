"""OCR engines side by side on generated French scans: character error rate and CPU time.

Each page is French text with accents rendered to an image with PIL (a system TrueType
font, DejaVu or Liberation), saved as a JPEG (as scanners do), wrapped in a PDF with
fpdf2, then read back exactly as the assistant reads a scan (``loaders.page_images``,
``ocr.prepare``). Pages: body text, small print, a page turned by 1.5°, a coarse scan.

Engines: Tesseract (``tesseract-ocr`` + ``tesseract-ocr-fra``, Debian) through
``assistant.ingest.ocr.TesseractEngine``, and rapidocr (``rapidocr_onnxruntime`` 1.4.x, whose
wheel ships its ONNX models; 2.x/3.x fetch other languages' models at run time). An engine
that is not installed is reported as absent.

    python -m evals.ocr_bench [--pages N]

Prints one line per page and engine, then the totals: CER (Levenshtein distance over
the reference's length, whitespace collapsed), CER with diacritics removed from both
texts (what accents cost), and CPU seconds (``time.process_time`` of this process plus
the CPU of its child processes, since Tesseract runs as one).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL.Image import Image

FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
)

TEXTS = (
    "Note de service du réseau RIAHN\n"
    "Objet : permanences de l'équipe de liaison en addictologie\n"
    "À compter du 1er février 2024, l'équipe assure une permanence téléphonique du lundi "
    "au vendredi, de 9 h à 17 h. Les demandes reçues en dehors de ces horaires sont "
    "traitées le jour ouvré suivant. Le médecin coordonnateur reçoit les familles sur "
    "rendez-vous ; la première consultation est gratuite et anonyme.\n"
    "Les professionnels des établissements médico-sociaux peuvent solliciter l'équipe "
    "pour un avis, une évaluation ou une orientation vers un centre de soins.",
    "Circulaire relative aux centres de soins, d'accompagnement et de prévention en "
    "addictologie (CSAPA)\n"
    "Chaque CSAPA élabore un projet d'établissement qui précise les modalités d'accueil, "
    "d'information et d'orientation des usagers. Il veille à la continuité des soins, "
    "notamment à la sortie de détention, et à la réduction des risques et des dommages.\n"
    "Le gérant transmet chaque année à l'agence régionale de santé un rapport d'activité. "
    "Où qu'il réside, l'usager bénéficie d'une prise en charge globale : médicale, "
    "psychologique, sociale et éducative. Être à l'écoute, même à Noël, reste la règle.",
    "Le préfet de la Seine-Maritime à mesdames et messieurs les maires\n"
    "Objet : prévention des conduites addictives lors des fêtes et rassemblements\n"
    "Les organisateurs déclarent l'événement au plus tard un mois à l'avance. Ils "
    "prévoient un poste de secours, des points d'eau gratuits et un espace de repos. "
    "La vente d'alcool aux mineurs est interdite ; l'affichage de cette interdiction "
    "est obligatoire à chaque buvette. Des éthylotests sont mis à disposition.\n"
    "Cœur du dispositif : la coopération des maîtres d'œuvre, des bénévoles et des forces "
    "de l'ordre, à laquelle je vous remercie de veiller.",
    "Direction générale de la santé — MILDECA\n"
    "Les consultations jeunes consommateurs (CJC) accueillent, de façon gratuite et "
    "confidentielle, les jeunes âgés de 12 à 25 ans et leur entourage. Âge moyen des "
    "consultants : 19,4 ans ; 63 % sont orientés par leur famille ou la justice.\n"
    "L'entretien d'évaluation précède toute prise en charge. Il dure en général "
    "quarante-cinq minutes et peut être suivi de cinq à dix séances brèves, ainsi que "
    "d'une orientation vers un CSAPA si nécessaire. Ça ne coûte rien à la famille.",
)


@dataclass(frozen=True)
class Layout:
    name: str
    points: float  # font size, in points
    dpi: int  # resolution of the scan
    angle: float = 0.0  # degrees, counter-clockwise
    quality: int = 85  # JPEG quality of the scan


LAYOUTS = (
    Layout("corps 11 pt, 200 dpi", 11, 200),
    Layout("petits caractères 8 pt, 200 dpi", 8, 200),
    Layout("page tournée de 1,5°, 10 pt, 200 dpi", 10, 200, angle=1.5),
    Layout("scan grossier 10 pt, 150 dpi, JPEG 60", 10, 150, quality=60),
)


def font_path() -> Path | None:
    """The first system TrueType font found (``FONTS``), or None."""
    return next((f for f in FONTS if f.exists()), None)


def render_page(
    text: str,
    font: Path,
    points: float = 11,
    dpi: int = 200,
    angle: float = 0.0,
) -> Image:
    """An A4 page image (greyscale, ``dpi`` dots per inch) of ``text`` in ``font`` at
    ``points``: one paragraph per line of ``text``, wrapped to 2 cm margins, turned by
    ``angle`` degrees (white corners)."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    width, height = round(8.27 * dpi), round(11.69 * dpi)
    margin = round(0.79 * dpi)
    face = ImageFont.truetype(str(font), size=round(points * dpi / 72))
    page = PILImage.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    y = margin
    step = round(points * dpi / 72 * 1.35)
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            trial = f"{line} {word}".strip()
            if face.getlength(trial) > width - 2 * margin and line:
                draw.text((margin, y), line, font=face, fill=0)
                y += step
                line = word
            else:
                line = trial
        if line:
            draw.text((margin, y), line, font=face, fill=0)
            y += step
        y += step // 2
    if angle:
        page = page.rotate(angle, resample=PILImage.Resampling.BICUBIC, fillcolor=255)
    return page


def scan_pdf(path: Path, images: Sequence[Image], quality: int = 85) -> Path:
    """A PDF of A4 pages, each one of ``images`` as a JPEG filling the page (no text
    layer), as a scanner makes it."""
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format="A4")
    for image in images:
        pdf.add_page()
        buf = io.BytesIO()
        image.convert("L").save(buf, format="JPEG", quality=quality)
        buf.seek(0)
        pdf.image(buf, x=0, y=0, w=210, h=297)
    pdf.output(str(path))
    return path


def normalise(text: str) -> str:
    """NFC, whitespace collapsed to single spaces, typographic apostrophes made plain."""
    text = unicodedata.normalize("NFC", text).replace("’", "'")
    return re.sub(r"\s+", " ", text).strip()


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions of one character)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate of ``hypothesis`` against ``reference`` (0 = perfect)."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    return levenshtein(ref, hyp) / max(len(ref), 1)


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished child processes."""
    t = os.times()
    return time.process_time() + t.children_user + t.children_system


class RapidOcrEngine:
    """rapidocr_onnxruntime (PP-OCRv4 Chinese/English models shipped in its wheel)."""

    name = "rapidocr"

    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self._ocr = RapidOCR()

    def read(self, image: Image) -> str:
        import numpy as np

        result, _ = self._ocr(np.asarray(image.convert("RGB")))
        return "\n".join(str(r[1]) for r in (result or []))


def engines() -> list[tuple[str, Callable[[], Any] | None, str]]:
    """(name, factory or None, why absent) for each candidate engine."""
    from assistant.ingest.ocr import TesseractEngine

    found: list[tuple[str, Callable[[], Any] | None, str]] = []
    tess = TesseractEngine()
    found.append(
        ("tesseract", (lambda: tess) if tess.available() else None, "tesseract/fra absent")
    )
    try:
        import rapidocr_onnxruntime  # noqa: F401

        found.append(("rapidocr", RapidOcrEngine, ""))
    except ImportError:
        found.append(("rapidocr", None, "absent (pip install -e '.[ocr-bench]')"))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    from pypdf import PdfReader

    from assistant.ingest.loaders import page_images
    from assistant.ingest.ocr import prepare

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=len(LAYOUTS))
    args = parser.parse_args(argv)
    font = font_path()
    if font is None:
        print("aucune police TrueType système (DejaVu, Liberation) : banc impossible")
        return 1
    # Each layout with each text in turn (the second round shifts the texts by one).
    cases = [
        (LAYOUTS[i % len(LAYOUTS)], TEXTS[(i + i // len(LAYOUTS)) % len(TEXTS)])
        for i in range(args.pages)
    ]
    images = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, (layout, text) in enumerate(cases):
            image = render_page(text, font, layout.points, layout.dpi, layout.angle)
            pdf = scan_pdf(Path(tmp) / f"scan{k}.pdf", [image], layout.quality)
            [(extracted, dpi)] = page_images(PdfReader(pdf).pages[0])
            images.append(prepare(extracted, dpi))
    print(f"police : {font.name} ; {len(cases)} pages")
    print(f"{'page':<40} {'moteur':<10} {'CER':>7} {'CER sans accents':>17} {'CPU s':>7}")
    totals: dict[str, list[float]] = {}
    for name, factory, why in engines():
        if factory is None:
            print(f"{'(toutes)':<40} {name:<10} absent : {why}")
            continue
        start = cpu_seconds()
        engine = factory()
        load = cpu_seconds() - start
        sums = totals.setdefault(name, [0.0, 0.0, load, 0.0])
        for (layout, text), image in zip(cases, images, strict=True):
            t0 = cpu_seconds()
            hyp = engine.read(image)
            spent = cpu_seconds() - t0
            c = cer(text, hyp)
            c0 = cer(strip_accents(text), strip_accents(hyp))
            sums[0] += c
            sums[1] += c0
            sums[3] += spent
            print(f"{layout.name:<40} {name:<10} {c:7.2%} {c0:17.2%} {spent:7.2f}")
    print()
    print(f"{'moyenne':<40} {'moteur':<10} {'CER':>7} {'CER sans accents':>17} {'CPU s/page':>10}")
    for name, (c, c0, load, spent) in totals.items():
        n = len(cases)
        print(
            f"{'':<40} {name:<10} {c / n:7.2%} {c0 / n:17.2%} {spent / n:10.2f}"
            f"   (chargement {load:.2f} s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
