"""Golden-case inputs stay inside the case folder or the repository holding the cases folder."""
from __future__ import annotations

import shutil
from pathlib import Path

from conftest import PDF_TEXT, run_cli


def _repository(tmp_path: Path) -> Path:
    """Return a repository (pyproject.toml) with a cases folder, a report inside it and one outside it."""
    repo = tmp_path / "repo"
    (repo / "seeds").mkdir(parents=True)
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    shutil.copy(PDF_TEXT, repo / "seeds" / "report.txt")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.txt").write_text("第一条 机密 Secret line 3141592653\n" * 20, encoding="utf-8")
    return repo


def _case(repo: Path, name: str, spec: str) -> Path:
    """Write a sections case reading one input; return its folder."""
    folder = repo / "cases" / name
    folder.mkdir(parents=True)
    (folder / "case.toml").write_text(f'command = "sections"\ninputs = ["{spec}"]\n', encoding="utf-8")
    return folder


def test_inputs_in_the_repository_are_found(tmp_path):
    repo = _repository(tmp_path)
    _case(repo, "inside", "seeds/report.txt")
    done = run_cli("snapshot", repo / "cases")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (repo / "cases" / "inside" / "expected.json").is_file()


def _refused(repo: Path, name: str, spec: str) -> None:
    """Check that snapshot and check refuse a case whose input escapes, naming both, reading nothing."""
    folder = _case(repo, name, spec)
    for command in ("snapshot", "check"):
        done = run_cli(command, repo / "cases", "--format", "json")
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert name in done.stdout and spec in done.stdout and "outside" in done.stdout
        assert "3141592653" not in done.stdout + done.stderr and "root:" not in done.stdout
        assert not (folder / "expected.json").exists()
    shutil.rmtree(folder)


def test_an_input_climbing_out_is_refused(tmp_path):
    repo = _repository(tmp_path)
    _refused(repo, "passwd", "../../../../../../../../../../etc/passwd")
    _refused(repo, "climb", "../../../elsewhere/secret.txt")


def test_an_absolute_input_elsewhere_is_refused(tmp_path):
    repo = _repository(tmp_path)
    _refused(repo, "absolute", str(tmp_path / "elsewhere" / "secret.txt"))
    _case(repo, "absolute-inside", str(repo / "seeds" / "report.txt"))
    assert run_cli("snapshot", repo / "cases", "--case", "absolute-inside").returncode == 0


def test_a_symlink_out_of_the_repository_is_refused(tmp_path):
    repo = _repository(tmp_path)
    (repo / "seeds" / "link.txt").symlink_to(tmp_path / "elsewhere" / "secret.txt")
    _refused(repo, "link", "seeds/link.txt")
