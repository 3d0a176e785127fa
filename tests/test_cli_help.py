"""First run: bare `comparer`, clean help with an example per command, the status meanings, formats from the registry."""
from __future__ import annotations

import re

import pytest


def test_bare_comparer_prints_help_and_exits_0(cli):
    done = cli()
    assert done.returncode == 0 and not done.stderr
    assert "Usage: comparer" in done.stdout and "diff" in done.stdout and "text" in done.stdout


def commands(cli) -> list[str]:
    """Return the command names listed by `comparer --help`."""
    listing = cli("--help").stdout.split("Commands:")[1].split("\n\n")[0]
    return re.findall(r"^  (\w+)\s", listing, re.M)


def test_every_command_help_is_clean_and_has_an_example(cli):
    names = commands(cli)
    assert {"diff", "text", "followup", "corpus", "check"} <= set(names)
    for name in names:
        done = cli(name, "--help")
        assert done.returncode == 0, (name, done.stderr)
        assert not re.search(r"\{\w+\}|<\w*\[?\w*\]?>|<path>|<str>|<int>", done.stdout), (name, done.stdout)
        assert re.search(rf"Example:\n\s+comparer {name} ", done.stdout), name


def test_status_meanings_are_explained(cli):
    text = cli("followup", "--help").stdout
    for status in ("reported", "repeated", "shortfall", "missing", "overdue"):
        assert re.search(rf"^\s+{status}\s{{2,}}\S", text, re.M), status


def test_input_formats_are_listed_from_the_registry(cli):
    from comparer.ingest import READERS

    text = " ".join(cli("diff", "--help").stdout.split())
    for reader in READERS:
        assert f"{reader.name} ({', '.join(reader.suffixes)})" in text
    assert "http(s) URL" in text
