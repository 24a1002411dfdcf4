"""CITATION.cff, as GitHub and reference managers read it from the repository: valid against the Citation File
Format's schema (check-jsonschema's built-in copy, offline) and free of placeholders no workflow fills in."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CFF = ROOT / "CITATION.cff"


def check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.citation-file-format", str(path)],
                          capture_output=True, text=True)


def test_citation_file_is_valid_cff():
    result = check(CFF)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_citation_file(tmp_path):
    broken = tmp_path / "CITATION.cff"
    text = CFF.read_text(encoding="utf-8")
    broken.write_text(text.replace("cff-version: 1.2.0", "cff-version: 1.2.0\nrepository-code: not an address"), encoding="utf-8")
    assert check(broken).returncode == 1
    broken.write_text("\n".join(line for line in text.splitlines() if not line.startswith("title:")), encoding="utf-8")
    assert check(broken).returncode == 1


def test_citation_file_has_no_placeholder():
    # The Pages workflow replaces OWNER in _config.yml for the site it builds; this file is read from the repository
    # itself, so an address with a placeholder in it would be published as it stands.
    assert "OWNER" not in CFF.read_text(encoding="utf-8")
