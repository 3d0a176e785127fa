"""Command line: the only module that knows typer. Commands stay thin."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

__all__ = ["app", "main"]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Compare Chinese government reports. Exit codes: 0 same, 1 differences or findings, 2 trouble.",
    rich_markup_mode=None,  # plain click help: rich help imports rich.markdown/markdown_it (~70 ms, start-up > 2x typer)
    context_settings={"max_content_width": 120},
)

FORMAT_HELP = "Output format: text, json, csv, md or html."
def _valid_format(value: str) -> str:
    """Reject an unknown --format before any file is read."""
    from .report import FORMATS

    if value not in FORMATS:
        raise typer.BadParameter(f"unknown format {value!r} (choose {', '.join(FORMATS)})")
    return value


FORMAT_OPTION = typer.Option("text", "--format", "-f", help=FORMAT_HELP, callback=_valid_format)


def _show_version(value: bool) -> None:
    """Print the version and stop (eager --version option)."""
    if value:
        from ._version import __version__

        sys.stdout.write(f"comparer {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
) -> None:
    """Compare Chinese government reports. Exit codes: 0 same, 1 differences or findings, 2 trouble."""


class Failure(Exception):
    """Raised inside a command to end with a one-line message and exit 2."""


def _emit(result: object, fmt: str, output: Optional[Path], inputs: list, **options) -> int:
    """Render a result, write it (atomically) or print it, and return its exit code."""
    from .report import render
    from .output import write_atomic

    text = render(result, fmt, color=output is None and sys.stdout.isatty(), **options) if fmt == "text" else render(result, fmt)
    if output is not None:
        write_atomic(output, text, inputs)
    else:
        sys.stdout.write(text)
    return result.exit_code


def _report(path: Path):
    """Read and parse one document."""
    from .load import load_report

    return load_report(path)


@app.command()
def diff(
    old: Path = typer.Argument(..., help="Old version (txt, pdf or html)."),
    new: Path = typer.Argument(..., help="New version (txt, pdf or html)."),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of stdout."),
    engine: Optional[str] = typer.Option(None, help="diff-match-patch build: fast-diff-match-patch or diff-match-patch."),
) -> None:
    """Show drift between two versions of a report (exit 0 same, 1 drift)."""
    from .diff import diff_reports

    result = diff_reports(_report(old), _report(new), engine)
    raise typer.Exit(_emit(result, fmt, output, [old, new]))


@app.command()
def sections(
    file: Path = typer.Argument(..., help="A report (txt, pdf or html)."),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Show the heading tree of a report with each section's role."""
    from .sections import SectionsResult

    raise typer.Exit(_emit(SectionsResult(_report(file)), fmt, output, [file]))


@app.command()
def normalize(
    file: Path = typer.Argument(..., help="A report (txt, pdf or html)."),
    explain: bool = typer.Option(False, "--explain", help="Show which normalisation rules fired and how often."),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Print the normalized text of a report (or, with --explain, the rules that fired)."""
    from .ingest import read_document
    from .normalize import NormalizeResult, normalize as run

    result = NormalizeResult(str(file), run(read_document(file).text))
    if not explain and fmt == "text":
        text = result.norm.text + "\n"
        if output is not None:
            from .output import write_atomic

            write_atomic(output, text, [file])
        else:
            sys.stdout.write(text)
        raise typer.Exit(0)
    raise typer.Exit(_emit(result, fmt, output, [file]))


@app.command()
def snapshot(
    cases_dir: Path = typer.Argument(..., help="Folder of golden cases (each a folder with case.toml)."),
    case: Optional[str] = typer.Option(None, "--case", help="Refresh only this case."),
    fmt: str = FORMAT_OPTION,
) -> None:
    """Write or refresh the expected.json of golden cases (exit 2 if a case cannot run)."""
    from .cases import snapshot as run

    raise typer.Exit(_emit(run(cases_dir, case), fmt, None, []))


@app.command()
def check(
    cases_dir: Path = typer.Argument(..., help="Folder of golden cases (each a folder with case.toml)."),
    fmt: str = FORMAT_OPTION,
    junit: Optional[Path] = typer.Option(None, "--junit", help="Also write a JUnit XML report here (atomically)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Re-run golden cases and report findings (exit 0 all match, 1 some differ, 2 a case errored)."""
    from .cases import check as run, junit_xml
    from .output import write_atomic

    result = run(cases_dir)
    if junit is not None:
        write_atomic(junit, junit_xml(result), [cases_dir])
    raise typer.Exit(_emit(result, fmt, output, [cases_dir]))


@app.command()
def commitments(
    file: Path = typer.Argument(..., help="A report or plan (txt, pdf or html)."),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
) -> None:
    """List the commitments of a report's plan sections (deadlines, targets, verbs)."""
    from .commitments import CommitmentsResult, extract_commitments

    report = _report(file)
    raise typer.Exit(_emit(CommitmentsResult(report, tuple(extract_commitments(report))), fmt, output, [file]))


@app.command()
def followup(
    plan: Path = typer.Argument(..., help="The report whose plan is followed."),
    later: List[Path] = typer.Argument(..., help="One or more later reports."),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
    explain: bool = typer.Option(False, "--explain", help="Show the distinctive terms that matched."),
) -> None:
    """Follow each commitment into later reports: reported, repeated, shortfall or missing (exit 0 all reported)."""
    from dataclasses import replace

    from .followup import follow_up

    result = replace(follow_up(_report(plan), [_report(p) for p in later]), explain=explain)
    raise typer.Exit(_emit(result, fmt, output, [plan, *later]))


@app.command()
def align(
    files: List[Path] = typer.Argument(..., help="Two or more reports; the first is aligned with each other one."),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Align sections across years, offices or districts (by role, then title and content)."""
    from .align import align_documents

    if len(files) < 2:
        raise Failure("comparer align: give at least two files")
    raise typer.Exit(_emit(align_documents([_report(f) for f in files]), fmt, output, files))


@app.command()
def repeats(
    files: List[Path] = typer.Argument(..., help="Reports of several years and/or issuers."),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Find commitments planned again year after year and template text shared between issuers (exit 1 if any)."""
    from .repeats import find_repeats

    raise typer.Exit(_emit(find_repeats([_report(f) for f in files]), fmt, output, files))


@app.command()
def corpus(
    folder: Path = typer.Argument(..., help="Folder of reports (.txt, .pdf, .html, .htm; searched recursively)."),
    out: Path = typer.Option(Path("comparer-out"), "--out", help="Folder for the tables (CSV, Parquet), summary.json and report.html."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes (local engine) or Dask workers (local cluster)."),
    engine: str = typer.Option("local", "--engine", help="local (processes when --jobs > 1) or dask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Address of a Dask scheduler (with --engine dask)."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Cache folder (default FOLDER/.comparer-cache)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache."),
    fmt: str = typer.Option("text", "--format", "-f", help="Output on stdout: text or json (the summary)."),
) -> None:
    """Analyse a folder: copies and drift, follow-up chains, figures (exit 1 findings, 2 nothing read)."""
    from .corpus import run_corpus, write_outputs

    if fmt not in ("text", "json"):
        raise Failure(f"--format: corpus writes text or json, not {fmt!r}")
    if out.resolve() == folder.resolve():
        raise Failure("--out: give a folder other than the corpus folder itself")
    result = run_corpus(folder, out=out, jobs=jobs, engine=engine, scheduler=scheduler, cache_dir=cache,
                        use_cache=not no_cache, progress=sys.stderr.isatty())
    for skipped in result.skipped:
        sys.stderr.write(f"{skipped.path}: skipped: {skipped.reason}\n")
    write_outputs(result, out)
    counts = result.to_dict()["counts"]
    sys.stderr.write(f"corpus: {counts['documents']} documents ({result.from_cache} from cache), {counts['skipped']} skipped, {counts['links']} follow-up links, "
                     f"{counts['drifts']} drifts, {counts['ratio_failed']} failed ratio checks -> {out / 'report.html'}\n")
    if not result.documents:
        sys.stderr.write(f"{folder}: no readable report\n")
    raise typer.Exit(_emit(result, fmt, None, [folder]))


def main(argv: Optional[List[str]] = None) -> None:
    """Run the CLI, turning known errors into one stderr line and exit 2."""
    from .errors import ComparerError

    try:
        code = app(args=argv, prog_name="comparer", standalone_mode=False)
    except ComparerError as error:
        _fail(f"{error.path}: {error.problem}")
    except Failure as error:
        _fail(str(error))
    except KeyboardInterrupt:
        _fail("interrupted", code=130)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except SystemExit:
        raise
    except Exception as error:  # noqa: BLE001 - the user gets one line, not a traceback
        _unexpected(error)
    if code == 130:  # typer turns Ctrl-C into a silent exit code 130; no command returns 130 itself
        _fail("interrupted", code=130)
    sys.exit(code if isinstance(code, int) else 0)


def _unexpected(error: Exception) -> None:
    """Report an unexpected error on one line (full traceback with COMPARER_DEBUG=1)."""
    name = type(error).__name__
    if hasattr(error, "format_message") and name.endswith(("UsageError", "BadParameter", "MissingParameter", "NoSuchOption", "BadOptionUsage", "BadArgumentUsage")):
        _fail(f"comparer: usage: {error.format_message()} (see comparer --help)")
    if name == "Abort":
        _fail("aborted", code=130)
    if os.environ.get("COMPARER_DEBUG"):
        raise error
    _fail(f"comparer: internal error: {type(error).__name__}: {error}".splitlines()[0])


def _fail(message: str, code: int = 2) -> None:
    """Print one line on stderr and exit."""
    sys.stderr.write(message.replace("\n", " ") + "\n")
    sys.exit(code)
