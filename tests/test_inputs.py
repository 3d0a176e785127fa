"""More inputs: .docx, OFD, .doc/.wps and http(s) URLs through diff and corpus; split HTML articles; CSV for Excel."""
from __future__ import annotations

import csv
import http.server
import json
import os
import re
import shutil
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT

GENERATED = ROOT / "fixtures" / "generated"
REPORT = GENERATED / "changning_2024_report"
EDITED = GENERATED / "changning_2024_report_edited"
PORTAL = GENERATED / "changning_2024_report_portal.html"
NO_CONVERTER = "antiword" if shutil.which("antiword") else None


def drifts(cli, old, new) -> list[dict]:
    """Return the drifts of `comparer diff --format json` (exit code checked against their number)."""
    done = cli("diff", old, new, "--format", "json")
    assert done.returncode in (0, 1) and not done.stderr.strip(), done.stderr
    data = json.loads(done.stdout)
    assert done.returncode == (1 if data["drifts"] else 0)
    return data["drifts"]


_LOADED: dict = {}


def api_drifts(old: Path, new: Path) -> list[dict]:
    """Return the drifts of two files compared in-process (each file read once per test session)."""
    from comparer import diff_reports, load_report

    reports = [_LOADED.setdefault(str(path), load_report(path)) for path in (old, new)]
    return diff_reports(*reports).to_dict()["drifts"]


def planted(found: list[dict]) -> list[tuple]:
    """Return the planted edits found: the figure change and the removed sentence."""
    return sorted((d["kind"], d.get("old_value"), d.get("new_value")) for d in found)


PLANTED = [("figure", "7009", "7090"), ("removed", None, None)]


@pytest.mark.parametrize("suffix", [".docx", ".ofd"])
def test_docx_and_ofd_read_the_same_words_as_the_pdf_and_show_the_edits(suffix):
    assert api_drifts(REPORT.with_suffix(".pdf"), REPORT.with_suffix(suffix)) == []
    assert planted(api_drifts(REPORT.with_suffix(suffix), EDITED.with_suffix(suffix))) == PLANTED


def test_ofd_keeps_pages_like_a_pdf(cli):
    rows = json.loads(cli("text", REPORT.with_suffix(".ofd"), "--format", "json").stdout)
    assert rows["meta"]["kind"] == "ofd" and rows["meta"]["pages"] == 6
    assert {row["page"] for row in rows["lines"]} == set(range(1, 7))


@pytest.mark.skipif(NO_CONVERTER is None, reason="antiword is not installed (apt-get install -y antiword; .ci/run installs it)")
@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_doc_and_wps_read_through_the_installed_converter(suffix, tmp_path):
    # WPS Office saves .wps in the Word 97 binary format: the same bytes under a .wps name take the .wps path.
    old, new = tmp_path / f"old{suffix}", tmp_path / f"new{suffix}"
    shutil.copy(REPORT.with_suffix(".doc"), old)
    shutil.copy(EDITED.with_suffix(".doc"), new)
    assert api_drifts(REPORT.with_suffix(".pdf"), old) == []
    assert planted(api_drifts(old, new)) == PLANTED


def test_doc_without_a_converter_names_what_to_install(cli, tmp_path):
    bare = tmp_path / "bin"
    bare.mkdir()
    (bare / "python").symlink_to(sys.executable)
    done = cli("text", REPORT.with_suffix(".doc"), env={"PATH": str(bare)})
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "antiword" in done.stderr and "LibreOffice" in done.stderr
    assert "changning_2024_report.doc" in done.stderr


def test_corpus_reads_docx_ofd_and_doc_files(cli, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    suffixes = [".pdf", ".docx", ".ofd"] + ([".doc"] if NO_CONVERTER else [])
    for suffix in suffixes:
        shutil.copy(REPORT.with_suffix(suffix), folder / f"changning_2024_copy{suffix}")
    shutil.copy(EDITED.with_suffix(".docx"), folder / "changning_2024_edited.docx")
    done = cli("corpus", folder, "--out", tmp_path / "out", "--no-cache", "--format", "json")
    assert done.returncode == 1, done.stderr
    summary = json.loads(done.stdout)
    assert summary["counts"]["documents"] == len(suffixes) + 1 and not summary["skipped"]
    assert len(summary["copies"]) == 1 and len(summary["copies"][0]["documents"]) == len(suffixes) + 1
    with open(tmp_path / "out" / "drifts.csv", "rb") as stream:
        assert stream.read(3) == b"\xef\xbb\xbf"  # a UTF-8 BOM so Excel reads the Chinese text
    with open(tmp_path / "out" / "drifts.csv", encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    edited = [r for r in rows if "edited" in (r.get("new_doc") or "") + (r.get("old_doc") or "")]
    assert sorted(r["kind"] for r in edited) == ["figure", "removed"]
    assert all("edited" not in (r.get("new_doc") or "") + (r.get("old_doc") or "") for r in rows if r not in edited)


# ---- URLs -----------------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serve the fixtures at extensionless paths with a Content-Type, plus error cases."""

    routes = {"/report": (REPORT.with_suffix(".pdf"), "application/pdf"),
              "/edited": (EDITED.with_suffix(".pdf"), "application/octet-stream"),
              "/portal/view.jsp": (PORTAL, "text/html; charset=utf-8")}

    def do_GET(self):
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/portal/view.jsp")
            self.end_headers()
            return
        if self.path not in self.routes:
            self.send_error(404, "Not Found")
            return
        path, media = self.routes[self.path]
        data = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def server():
    """Run a local HTTP server on 127.0.0.1 serving the fixture PDF and HTML; yield its base URL."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_diff_of_two_urls_fetches_and_sniffs_them(cli, server):
    found = drifts(cli, f"{server}/report", f"{server}/edited")
    assert planted(found) == PLANTED
    done = cli("diff", f"{server}/report", f"{server}/moved", "--format", "json")
    assert done.returncode == 0, done.stderr  # PDF vs the portal page after a redirect: no drift
    data = json.loads(done.stdout)
    assert data["old"]["path"] == f"{server}/report" and data["new"]["kind"] == "web"


@pytest.mark.parametrize("path,problem", [("/missing", "HTTP 404"), ("/report", "too large")])
def test_url_errors_are_one_line_exit_2(cli, server, path, problem, tmp_path):
    out = tmp_path / "out.json"
    done = cli("diff", f"{server}{path}", PORTAL, "--format", "json", "--output", out, env={"COMPARER_MAX_BYTES": "1000"})
    assert done.returncode == 2 and not out.exists()
    assert done.stderr.count("\n") == 1 and problem in done.stderr and f"{server}{path}" in done.stderr


def test_unreachable_url_is_one_line_exit_2(cli, server):
    port = int(server.rsplit(":", 1)[1])
    done = cli("sections", f"http://127.0.0.1:{port + 1 if port < 65535 else port - 1}/x")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "cannot fetch" in done.stderr


# ---- HTML article split across blocks ------------------------------------------------------------


def split_page(tmp_path: Path, between: str) -> Path:
    """Return the portal page with its article cut in two containers at the middle paragraph."""
    lines = PORTAL.read_text("utf-8").split("\n")
    paragraphs = [i for i, line in enumerate(lines) if line.strip().startswith('<p style="text-indent')]
    middle = paragraphs[len(paragraphs) // 2]
    page = tmp_path / "split.html"
    page.write_text("\n".join(lines[:middle] + [between] + lines[middle:]), "utf-8")
    return page


@pytest.mark.parametrize("between", [
    '</div></div><div class="article-content"><div class="TRS_Editor">',  # two editor blocks
    '</div></div><div class="page-info">第1页 共2页</div><div class="article-content"><div class="TRS_Editor">',
    "</div></div><div><div>",  # the second half in plain blocks without class names
])
def test_an_article_split_across_two_blocks_is_read_whole(tmp_path, between):
    from comparer.ingest import read_document

    whole = read_document(PORTAL).text
    split = read_document(split_page(tmp_path, between)).text
    assert split == whole


def test_followup_csv_names_the_evidence_document(cli, tmp_path):
    seeds = ROOT / "fixtures" / "seeds"
    out = tmp_path / "followup.csv"
    cli("followup", seeds / "changning_qufuban_2022_fazhi_report_pdftext.txt", seeds / "changning_2024_fazhi_report_webtext.txt",
        seeds / "changning_guodongban_2024_fazhi_report_pdftext.txt", "--format", "csv", "--output", out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines()))
    docs = {r["evidence_doc"] for r in rows if r["evidence_text"]}
    assert docs and docs <= {str(seeds / "changning_2024_fazhi_report_webtext.txt"), str(seeds / "changning_guodongban_2024_fazhi_report_pdftext.txt")}
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("标题\n受理纠纷7009件。\n", "utf-8")
    new.write_text("标题\n受理纠纷7090件。\n", "utf-8")
    piped = cli("diff", old, new, "--format", "csv")
    assert piped.returncode == 1 and piped.stdout.startswith("kind,")  # stdout (a pipe) gets no BOM
