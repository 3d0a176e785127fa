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
)

FORMAT_HELP = "Output format: text, json, csv, md or html."


class Failure(Exception):
    """Raised inside a command to end with a one-line message and exit 2."""


def _emit(result: object, fmt: str, output: Optional[Path], inputs: list, **options) -> int:
    """Render a result, write it (atomically) or print it, and return its exit code."""
    from .report import FORMATS, render
    from .output import write_atomic

    if fmt not in FORMATS:
        raise Failure(f"--format: unknown format {fmt!r} (choose {', '.join(FORMATS)})")
    text = render(result, fmt, color=output is None and sys.stdout.isatty(), **options) if fmt == "text" else render(result, fmt)
    if output is not None:
        write_atomic(output, text, inputs)
    else:
        sys.stdout.write(text)
    return result.exit_code


def _report(path: Path):
    """Read and parse one document."""
    from .ingest import read_document
    from .sections import parse_report

    return parse_report(read_document(path))


@app.command()
def diff(
    old: Path = typer.Argument(..., help="Old version (txt, pdf or html)."),
    new: Path = typer.Argument(..., help="New version (txt, pdf or html)."),
    fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
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
    fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout."),
) -> None:
    """Show the heading tree of a report with each section's role."""
    from .sections import SectionsResult

    raise typer.Exit(_emit(SectionsResult(_report(file)), fmt, output, [file]))


@app.command()
def normalize(
    file: Path = typer.Argument(..., help="A report (txt, pdf or html)."),
    explain: bool = typer.Option(False, "--explain", help="Show which normalisation rules fired and how often."),
    fmt: str = typer.Option("text", "--format", "-f", help=FORMAT_HELP),
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
