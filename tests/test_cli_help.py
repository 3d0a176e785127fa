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


def help_of(name: str, capsys) -> str:
    """Return `comparer NAME --help` run in-process (the same click app the CLI runs)."""
    from comparer.cli import main

    with pytest.raises(SystemExit) as done:
        main([name, "--help"])
    assert done.value.code == 0, name
    return capsys.readouterr().out


def test_every_command_help_is_clean_and_has_an_example(cli, capsys):
    names = commands(cli)
    assert {"diff", "text", "followup", "corpus", "check"} <= set(names)
    for name in names:
        text = help_of(name, capsys)
        assert not re.search(r"\{\w+\}|<\w*\[?\w*\]?>|<path>|<str>|<int>", text), (name, text)
        assert re.search(rf"Example:\n\s+comparer {name} ", text), name


def test_status_meanings_are_explained(capsys):
    text = help_of("followup", capsys)
    for status in ("reported", "repeated", "shortfall", "missing", "overdue"):
        assert re.search(rf"^\s+{status}\s{{2,}}\S", text, re.M), status


def test_input_formats_are_listed_from_the_registry(capsys):
    from comparer.ingest import READERS

    text = " ".join(help_of("diff", capsys).split())
    for reader in READERS:
        assert f"{reader.name} ({', '.join(reader.suffixes)})" in text
    assert "http(s) URL" in text
