"""Build the office-format fixtures from the seed web text: .docx (python-docx), .doc (LibreOffice), .ofd (easyofd).

Run as `python tools/make_office_fixtures.py` after `tools/make_fixtures.py`. The .docx needs only
python-docx (a dependency); the .doc needs LibreOffice (`apt-get install libreoffice-writer-nogui`) and
the .ofd needs easyofd (`pip install easyofd`, not a dependency: it pulls PyMuPDF), which converts the
generated PDFs. Missing tools are reported and their files left as they are.
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fixtures import GENERATED, plant_edits, read_seed  # noqa: E402

__all__ = ["main", "build_docx", "build_doc", "build_ofd"]

FIXED_TIME = dt.datetime(2025, 1, 9, 17, 30, tzinfo=dt.timezone.utc)


def build_docx(path: Path, title: str, paragraphs: list[str]) -> None:
    """Write a Word document: the title as a heading, one paragraph per body paragraph."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.created = document.core_properties.modified = FIXED_TIME
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(path)


def build_doc(docx_path: Path, path: Path) -> bool:
    """Convert a .docx to Word 97 .doc with LibreOffice; return False when it is not installed."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if not program:
        print(f"{path.name}: skipped (LibreOffice not installed)")
        return False
    with tempfile.TemporaryDirectory() as folder:
        profile = (Path(folder) / "profile").as_uri()
        subprocess.run([program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc:MS Word 97",
                        "--outdir", folder, str(docx_path)], check=True, capture_output=True, timeout=300)
        shutil.move(str(Path(folder) / f"{docx_path.stem}.doc"), path)
    return True


def build_ofd(pdf_path: Path, path: Path) -> bool:
    """Convert a PDF to OFD with easyofd (text kept as text objects); return False when it is not installed."""
    try:
        from easyofd.ofd import OFD
    except ImportError:
        print(f"{path.name}: skipped (pip install easyofd)")
        return False
    import os

    data, here = pdf_path.read_bytes(), os.getcwd()
    with tempfile.TemporaryDirectory() as folder:  # easyofd writes a ./test work folder into the working folder
        os.chdir(folder)
        try:
            path.write_bytes(OFD().pdf2ofd(data, optional_text=True))
        finally:
            os.chdir(here)
    return True


def main() -> None:
    """Write the .docx, .doc and .ofd fixtures next to the generated PDFs."""
    title, _, paragraphs = read_seed()
    for suffix, body in (("", paragraphs), ("_edited", plant_edits(paragraphs))):
        docx_path = GENERATED / f"changning_2024_report{suffix}.docx"
        build_docx(docx_path, title, body)
        build_doc(docx_path, GENERATED / f"changning_2024_report{suffix}.doc")
        build_ofd(GENERATED / f"changning_2024_report{suffix}.pdf", GENERATED / f"changning_2024_report{suffix}.ofd")


if __name__ == "__main__":
    main()
