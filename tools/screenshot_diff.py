"""Screenshot the diff page of the real PDF pair in headless Chromium for the README (docs/diff-1400.png, docs/diff-800.png).

Run as `python tools/screenshot_diff.py` (needs `chromium` and a CJK font, e.g. fonts-wqy-zenhei). Each image
is the top of the page (files, counts, figures, change list) above the row where the figure changed, cut
from one tall screenshot so that the highlight is shown where it stands in the text.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

__all__ = ["main", "shoot", "compose"]

ROOT = Path(__file__).resolve().parent.parent
PAIR = (ROOT / "fixtures/generated/changning_2024_report.pdf", ROOT / "fixtures/generated/changning_2024_report_edited.pdf")
CHANGED_ROW, DEL, INS = (0xFF, 0xFB, 0xE6), (0xFF, 0xD7, 0xD5), (0xCC, 0xFF, 0xD8)  # colours of report/diffpage.py
TOP = 900  # pixels of the page top kept above the changed row


def shoot(page: Path, width: int, out: Path, profile: Path) -> np.ndarray:
    """Return a tall screenshot of the page at a window width, as pixels."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or sys.exit("chromium is not installed")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={profile}",
                    f"--window-size={width},6000", f"--screenshot={out}", page.as_uri()], check=True, capture_output=True, timeout=120)
    return np.asarray(Image.open(out).convert("RGB"))


def compose(pixels: np.ndarray) -> Image.Image:
    """Return the page top stacked over the changed row that shows both the old and the new figure."""
    has = lambda colour: (pixels == colour).all(axis=-1).any(axis=-1)  # noqa: E731
    rows = np.flatnonzero(has(CHANGED_ROW) & has(DEL) & has(INS))
    changed = np.flatnonzero(has(CHANGED_ROW))
    start = changed[changed <= rows[0]]
    band_top = start[np.flatnonzero(np.diff(np.r_[-2, start]) > 1)[-1]] if len(start) else rows[0]
    band_end = changed[changed >= rows[0]]
    band_bottom = band_end[np.flatnonzero(np.diff(np.r_[band_end, 10**9]) > 1)[0]]
    top = Image.fromarray(pixels[:TOP])
    band = Image.fromarray(pixels[max(band_top - 40, TOP):band_bottom + 20])
    image = Image.new("RGB", (top.width, top.height + 6 + band.height), (208, 215, 222))
    image.paste(top, (0, 0))
    image.paste(band, (0, top.height + 6))
    return image


def main() -> None:
    """Render the diff page and write docs/diff-1400.png and docs/diff-800.png."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "diff.html"
        subprocess.run([sys.executable, "-m", "comparer", "diff", *(str(p.relative_to(ROOT)) for p in PAIR), "--format", "html",
                        "--output", str(page)], cwd=ROOT, check=False)
        for width in (1400, 800):
            pixels = shoot(page, width, Path(folder) / f"{width}.png", Path(folder) / "profile")
            compose(pixels).save(ROOT / "docs" / f"diff-{width}.png", optimize=True)
            print(f"docs/diff-{width}.png")


if __name__ == "__main__":
    main()
