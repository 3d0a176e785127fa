"""Read Word 97-2003 (.doc) and WPS (.wps) files through an installed converter: antiword or LibreOffice."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import InputError
from ..models import DocMeta, RawDocument
from .text import decode_text

__all__ = ["read_word97", "converters", "INSTALL_HINT"]

INSTALL_HINT = "install antiword (apt-get install antiword) or LibreOffice (apt-get install libreoffice-writer-nogui)"
_TIMEOUT_SECONDS = 180  # LibreOffice's first start in a fresh profile takes a while


def converters(suffix: str) -> list[str]:
    """Return the converters on PATH for a suffix, best first (LibreOffice first for .wps)."""
    order = ("soffice", "antiword") if suffix == ".wps" else ("antiword", "soffice")
    return [name for name in order if shutil.which(name) or (name == "soffice" and shutil.which("libreoffice"))]


def read_word97(file: Path, data: bytes) -> RawDocument:
    """Convert a .doc/.wps file to text with the first converter that works; exit-2 error naming what to install."""
    suffix = Path(str(file)).suffix.lower() or ".doc"
    found = converters(suffix)
    if not found:
        raise InputError(file, f"reading {suffix} files needs a converter: {INSTALL_HINT}")
    problems = []
    with tempfile.TemporaryDirectory(prefix="comparer-doc-") as folder:
        source = Path(folder) / f"input{suffix}"
        source.write_bytes(data)
        for name in found:
            try:
                text = _antiword(source) if name == "antiword" else _soffice(source, Path(folder))
            except InputError as error:
                problems.append(f"{name}: {error.problem}")
                continue
            return _document(file, text, suffix)
    raise InputError(file, f"not a readable {suffix} file ({'; '.join(problems)})")


def _document(file: Path, text: str, suffix: str) -> RawDocument:
    """Return the converted text as a RawDocument (form feeds of page breaks become line breaks)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    if not text.strip():
        raise InputError(file, f"no text in the {suffix} file")
    return RawDocument(meta=DocMeta(path=str(file), kind=suffix.lstrip(".")), text=text.rstrip("\n"))


def _antiword(source: Path) -> str:
    """Return antiword's UTF-8 text of a .doc (no line wrapping)."""
    done = _run(["antiword", "-w", "0", "-m", "UTF-8.txt", str(source)], source.parent)
    return decode_text(done.stdout, source)[0]


def _soffice(source: Path, folder: Path) -> str:
    """Return LibreOffice's UTF-8 text export of a document, using a private profile in folder."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    profile = (folder / "profile").as_uri()
    out = folder / "out"
    _run([program, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to",
          "txt:Text (encoded):UTF8", "--outdir", str(out), str(source)], folder)
    result = out / f"{source.stem}.txt"
    if not result.is_file():
        raise InputError(source, "LibreOffice wrote no text (not a word-processing file?)")
    return decode_text(result.read_bytes(), source)[0]


def _run(command: list[str], folder: Path) -> subprocess.CompletedProcess:
    """Run a converter quietly with a time limit; raise InputError with its first error line."""
    environment = {**os.environ, "HOME": str(folder)}
    try:
        done = subprocess.run(command, capture_output=True, timeout=_TIMEOUT_SECONDS, cwd=folder, env=environment, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise InputError(command[-1], f"converter timed out after {_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0 or (command[0].endswith("antiword") and not done.stdout.strip()):
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(command[-1], message[0] if message else f"exit code {done.returncode}")
    return done
