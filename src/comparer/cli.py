"""Command line: the only module that knows typer. Commands stay thin."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

__all__ = ["app", "main"]

from .ingest.registry import formats_help


def _plain_argument_help() -> None:
    """Show arguments as FILE / [FILE] / FILE... in help, without typer's {FILE} and <list[str]> decorations."""
    from typer.core import TyperArgument

    def usage_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")

    if hasattr(TyperArgument, "_usage_display_name"):
        TyperArgument._usage_display_name = usage_name
    if hasattr(TyperArgument, "display_type_rich"):
        TyperArgument.display_type_rich = lambda self, ctx: None


_plain_argument_help()

INPUTS = f"Inputs: a file or an http(s) URL; formats {formats_help()}."

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Compare Chinese government reports. Exit codes: 0 same, 1 differences or findings, 2 trouble.",
    epilog=f"{INPUTS} Run 'comparer COMMAND --help' for a command's options and an example.",
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


FORMAT_OPTION = typer.Option("text", "--format", "-f", help=FORMAT_HELP, callback=_valid_format, metavar="FORMAT")
OUTPUT_OPTION = typer.Option(None, "--output", "-o", metavar="FILE",
                             help="Write to this file (atomically) instead of stdout; a CSV file starts with a UTF-8 BOM for Excel.")


def _example(*lines: str) -> str:
    """Return a help epilog with example command lines kept as written (click does not rewrap them)."""
    return "\b\nExample:\n" + "\n".join(f"  {line}" for line in lines)


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

    _warn(getattr(result, "warnings", ()))
    if fmt == "text":
        from .report.terminal import color_wanted

        text = render(result, fmt, color=output is None and color_wanted(sys.stdout), **options)
    else:
        text = render(result, fmt)
    if output is not None:
        write_atomic(output, ("\ufeff" + text) if fmt == "csv" and text else text, _local(inputs))
    else:
        sys.stdout.write(text)
    return result.exit_code


def _warn(notices) -> None:
    """Print each warning about the inputs once, one line each, on stderr."""
    for notice in dict.fromkeys(notices):
        sys.stderr.write(f"{notice}\n")


def _local(inputs: list) -> list:
    """Return the inputs that are local files (URLs cannot be overwritten)."""
    from .ingest.fetch import is_url

    return [item for item in inputs if not is_url(str(item))]


def _raw(source: str):
    """Read one input (a file or an http(s) URL) into its extracted text."""
    from .ingest import read_document
    from .ingest.fetch import is_url, read_url

    return read_url(source) if is_url(source) else read_document(Path(source))


def _report(source: str):
    """Read and parse one document (a file or an http(s) URL); its warnings are printed with the result (_emit)."""
    from .sections import parse_report

    return parse_report(_raw(source))


def _reports(sources: list[str]) -> list:
    """Read and parse several documents; two big local files side by side (see parallel.map_forked)."""
    from .ingest import read_document  # noqa: F401  imported before a fork, so a child does not import it again
    from .options import DEFAULT
    from .parallel import jobs_from_env, map_forked
    from .sections import parse_report  # noqa: F401  (the same)

    sizes = [_file_size(source) for source in sources]
    return map_forked(_report, sources, sizes, DEFAULT.diff.parallel_min_bytes, jobs_from_env())


def _file_size(source: str) -> int:
    """Return the size of a local regular file, else 0 (URLs, missing files and devices are read in this process)."""
    import stat

    try:
        status = os.stat(source)
    except (OSError, ValueError):
        return 0
    return status.st_size if stat.S_ISREG(status.st_mode) else 0


@app.command(epilog=_example("comparer diff report.pdf https://www.example.gov.cn/report.html --format html -o diff.html"))
def diff(
    old: str = typer.Argument(..., metavar="OLD", help="Old version. " + INPUTS),
    new: str = typer.Argument(..., metavar="NEW", help="New version (same formats)."),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
    engine: Optional[str] = typer.Option(None, metavar="NAME", help="diff-match-patch build: fast-diff-match-patch or diff-match-patch."),
) -> None:
    """Show drift between two versions of a report, placed in both files (exit 0 same, 1 drift).

    Places: PDF page and line within the page (p.3 L18), HTML page-source line (src L42), else the
    line of the text; 'comparer text FILE' prints a file with these numbers. --format html writes a
    self-contained side-by-side page, md a Markdown report.
    """
    from .diff import diff_reports

    result = diff_reports(*_reports([old, new]), engine)
    raise typer.Exit(_emit(result, fmt, output, [old, new]))


@app.command(epilog=_example("comparer sections report.pdf --format json"))
def sections(
    file: str = typer.Argument(..., metavar="FILE", help="A report. " + INPUTS),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
) -> None:
    """Show the heading tree of a report with each section's role."""
    from .sections import SectionsResult

    raise typer.Exit(_emit(SectionsResult(_report(file)), fmt, output, [file]))


@app.command(epilog=_example("comparer normalize report.pdf --explain"))
def normalize(
    file: str = typer.Argument(..., metavar="FILE", help="A report. " + INPUTS),
    explain: bool = typer.Option(False, "--explain", help="Show which normalisation rules fired, how often, and every line they dropped."),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
) -> None:
    """Print the normalized text of a report (or, with --explain, the rules that fired and the lines dropped)."""
    from .normalize import NormalizeResult, normalize as run

    raw = _raw(file)
    result = NormalizeResult(str(file), run(raw.text), raw.notices)
    if fmt == "text":
        _warn(result.warnings)
        text = result.explain() if explain else result.norm.text + "\n"
        if output is not None:
            from .output import write_atomic

            write_atomic(output, text, [file])
        else:
            sys.stdout.write(text)
        raise typer.Exit(0)
    raise typer.Exit(_emit(result, fmt, output, [file]))


@app.command(epilog=_example("comparer snapshot fixtures/cases --case diff_changning_planted_edit"))
def snapshot(
    cases_dir: Path = typer.Argument(..., metavar="CASES_DIR", help="Folder of golden cases (each a folder with case.toml)."),
    case: Optional[str] = typer.Option(None, "--case", metavar="NAME", help="Refresh only this case."),
    fmt: str = FORMAT_OPTION,
) -> None:
    """Write or refresh the expected.json of golden cases (exit 2 if a case cannot run)."""
    from .cases import snapshot as run

    raise typer.Exit(_emit(run(cases_dir, case), fmt, None, []))


@app.command(epilog=_example("comparer check fixtures/cases --junit comparer-check.xml"))
def check(
    cases_dir: Path = typer.Argument(..., metavar="CASES_DIR", help="Folder of golden cases (each a folder with case.toml)."),
    fmt: str = FORMAT_OPTION,
    junit: Optional[Path] = typer.Option(None, "--junit", metavar="FILE", help="Also write a JUnit XML report here (atomically)."),
    output: Optional[Path] = OUTPUT_OPTION,
) -> None:
    """Re-run golden cases and report findings (exit 0 all match, 1 some differ, 2 a case errored)."""
    from .cases import check as run, junit_xml
    from .output import write_atomic

    result = run(cases_dir)
    if junit is not None:
        write_atomic(junit, junit_xml(result), [cases_dir])
    raise typer.Exit(_emit(result, fmt, output, [cases_dir]))


@app.command(epilog=_example("comparer commitments report_2023.pdf --format csv -o commitments.csv"))
def commitments(
    file: str = typer.Argument(..., metavar="FILE", help="A report or plan. " + INPUTS),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
) -> None:
    """List the commitments of a report's plan sections (deadlines, targets, verbs)."""
    from .commitments import CommitmentsResult, extract_commitments

    report = _report(file)
    raise typer.Exit(_emit(CommitmentsResult(report, tuple(extract_commitments(report))), fmt, output, [file]))


@app.command(epilog=_example("comparer followup report_2023.pdf report_2024.html --explain"))
def followup(
    plan: str = typer.Argument(..., metavar="PLAN", help="The report whose plan is followed. " + INPUTS),
    later: List[str] = typer.Argument(..., metavar="LATER", help="One or more later reports."),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
    explain: bool = typer.Option(False, "--explain", help="Show the distinctive terms that matched."),
    strict: bool = typer.Option(False, "--strict", help="Exit 2 when a later report is not later, from another issuer, or the plan itself."),
) -> None:
    """Follow each commitment into later reports: reported, repeated, shortfall or missing, each with a confidence (exit 0 all reported).

    \b
    reported   a later report's results show it done (a quantified target met counts)
    repeated   planned again in a later plan, with no result reported
    shortfall  a quantified target missed, or a shortcoming admitted about it
    missing    no trace of it in the later reports
    overdue    (flag) its dated deadline has passed by the latest later report and it is not reported
    """
    from dataclasses import replace

    from .followup import check_inputs, follow_up

    plan_report, later_reports = _report(plan), [_report(p) for p in later]
    _strict_inputs(check_inputs(plan_report, later_reports), strict)
    result = replace(follow_up(plan_report, later_reports), explain=explain)
    raise typer.Exit(_emit(result, fmt, output, [plan, *later]))


@app.command(epilog=_example("comparer targets shenzhen-luohu_2023.txt shenzhen-luohu_2024.txt"))
def targets(
    plan: str = typer.Argument(..., metavar="PLAN", help="The report whose plan sets the targets. " + INPUTS),
    later: List[str] = typer.Argument(..., metavar="LATER", help="One or more later reports (their reviews give the realised figures)."),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
    strict: bool = typer.Option(False, "--strict", help="Exit 2 when a later report is not later, from another issuer, or the plan itself."),
) -> None:
    """List every quantified target of a plan with the realised figure: met, missed or not reported (exit 0 all met).

    \b
    met           the later review gives a figure for the same indicator that meets the target
    missed        it gives one that falls short
    not-reported  no figure for that indicator (nothing is guessed)
    """
    from .followup import check_inputs, follow_targets

    plan_report, later_reports = _report(plan), [_report(p) for p in later]
    warnings = check_inputs(plan_report, later_reports)
    _strict_inputs(warnings, strict)
    raise typer.Exit(_emit(follow_targets(plan_report, later_reports, warnings), fmt, output, [plan, *later]))


_INPUT_PROBLEMS = ("is the plan itself", "is not later than the plan", "is from another issuer")


def _strict_inputs(warnings, strict: bool) -> None:
    """With --strict, end the command with exit 2 on an input problem (without it, the result lists and prints them)."""
    problems = [n for n in warnings if n.message.startswith(_INPUT_PROBLEMS)]
    if strict and problems:
        raise Failure(f"{problems[0].path}: {problems[0].message} (--strict)")


@app.command(epilog=_example("comparer align changning_2022.pdf changning_2024.pdf"))
def align(
    files: List[str] = typer.Argument(..., metavar="FILE", help="Two or more reports; the first is aligned with each other one."),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
) -> None:
    """Align sections across years, offices or districts (by role, then title and content)."""
    from .align import align_documents

    if len(files) < 2:
        raise Failure("comparer align: give at least two files")
    raise typer.Exit(_emit(align_documents([_report(f) for f in files]), fmt, output, files))


@app.command(epilog=_example("comparer repeats reports/luohu_2023.txt reports/luohu_2024.txt reports/yantian_2024.txt"))
def repeats(
    files: List[str] = typer.Argument(..., metavar="FILE", help="Reports of several years and/or issuers."),
    fmt: str = FORMAT_OPTION,
    output: Optional[Path] = OUTPUT_OPTION,
) -> None:
    """Find commitments planned again year after year and template text shared between issuers (exit 1 if any)."""
    from .repeats import find_repeats

    raise typer.Exit(_emit(find_repeats([_report(f) for f in files]), fmt, output, files))


@app.command(epilog=_example("comparer corpus reports/ --out comparer-out --jobs 4"))
def corpus(
    folder: Path = typer.Argument(..., metavar="FOLDER", help=f"Folder of reports, searched recursively; formats {formats_help()}."),
    out: Path = typer.Option(Path("comparer-out"), "--out", metavar="DIR", help="Folder for the tables (CSV with a UTF-8 BOM, Parquet), summary.json and report.html: "
                             "new, empty or an earlier comparer output (replaced as a whole); not inside FOLDER unless new."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="N", help="Worker processes (local engine) or Dask workers (local cluster)."),
    engine: str = typer.Option("local", "--engine", metavar="ENGINE", help="local (processes when --jobs > 1) or dask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS", help="Address of a Dask scheduler (with --engine dask)."),
    cache: Optional[Path] = typer.Option(None, "--cache", metavar="DIR", help="Keep the cache in DIR/comparer-cache (default: the user cache folder, ~/.cache/comparer on Linux)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache."),
    max_bytes: Optional[int] = typer.Option(None, "--max-bytes", min=1, metavar="N", help="Skip files larger than N bytes (default COMPARER_MAX_BYTES or 200 MiB)."),
    fmt: str = typer.Option("text", "--format", "-f", metavar="FORMAT", help="Output on stdout: text or json (the summary)."),
) -> None:
    """Analyse a folder: copies and drift, follow-up chains, figures (exit 1 findings, 2 nothing read).

    \b
    Follow-up statuses (see comparer followup --help):
    reported   done, per a later report's results
    repeated   planned again, no result
    shortfall  target missed or shortcoming admitted
    missing    no trace in the later reports
    """
    from .corpus import run_corpus, write_outputs

    if fmt not in ("text", "json"):
        raise Failure(f"--format: corpus writes text or json, not {fmt!r}")
    result = run_corpus(folder, out=out, jobs=jobs, engine=engine, scheduler=scheduler, cache_dir=cache,
                        use_cache=not no_cache, progress=sys.stderr.isatty(), max_bytes=max_bytes)
    if result.cache_note:
        sys.stderr.write(f"warning: {result.cache_note}\n")
    for skipped in result.skipped:
        sys.stderr.write(f"{skipped.path}: skipped: {skipped.reason}\n")
    if not result.documents:
        raise Failure(f"{folder}: no readable report ({len(result.skipped)} files skipped); nothing written")
    write_outputs(result, out)
    counts = result.to_dict()["counts"]
    sys.stderr.write(f"corpus: {counts['documents']} documents ({result.from_cache} from cache), {counts['skipped']} skipped, {counts['links']} follow-up links, "
                     f"{counts['drifts']} drifts, {counts['ratio_failed']} failed ratio checks, "
                     f"{result.pair_tasks[0]} of {result.pair_tasks[1]} pair tasks from cache -> {out / 'report.html'}\n")
    raise typer.Exit(_emit(result, fmt, None, [folder]))


@app.command(epilog=_example("comparer text report.pdf | grep -n 7009"))
def text(
    file: str = typer.Argument(..., metavar="FILE", help="A report. " + INPUTS),
    fmt: str = typer.Option("text", "--format", "-f", metavar="FORMAT", help="text (line, place, text) or json."),
    output: Optional[Path] = OUTPUT_OPTION,
) -> None:
    """Print the text comparer extracted from a file, each line with the numbers other commands show.

    Columns: the line of the extracted text (old_line/new_line in JSON), then the place a person
    finds: p.PAGE LLINE-IN-PAGE for a PDF, src LLINE of the page source for HTML, else LLINE.
    """
    from .extracted import ExtractedText

    if fmt not in ("text", "json"):
        raise Failure(f"--format: text writes text or json, not {fmt!r}")
    raise typer.Exit(_emit(ExtractedText(_raw(file)), fmt, output, [file]))


def main(argv: Optional[List[str]] = None) -> None:
    """Run the CLI, turning known errors into one stderr line and exit 2."""
    from .errors import ComparerError

    args = sys.argv[1:] if argv is None else list(argv)
    try:
        code = app(args=args or ["--help"], prog_name="comparer", standalone_mode=False)
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
