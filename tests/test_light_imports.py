"""What every kernel and build pays on start: reading annotations does not build an IRI grammar, the extension loads without matplotlib, and frames share their provenance."""

from __future__ import annotations

import copy
import subprocess
import sys

from edition import datasets


def test_reading_annotations_does_not_import_the_iri_grammar_which_stays_importable():
    code = ("import sys, edition.annotations; print('rfc3987_syntax' in sys.modules); "
            "import importlib.util; print(importlib.util.find_spec('rfc3987_syntax') is not None)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "False"
    # Where the package is installed, hiding it during the import must not break it for other code.
    if out[1] == "True":
        subprocess.run([sys.executable, "-c", "import edition.yamlfile, rfc3987_syntax; rfc3987_syntax.is_valid_syntax('iri', 'http://a.b/')"], check=True)


def test_the_schema_validator_still_reports_problems(tmp_path):
    from edition.yamlfile import read_yaml, schema_problems

    schema = tmp_path / "schema.json"
    schema.write_text('{"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}')
    note = tmp_path / "x.yml"
    note.write_text("id: 3\n")
    problems = schema_problems(read_yaml(note, "x.yml"), schema, {})
    assert [(p.file, p.field) for p in problems] == [("x.yml", "id")]


def test_frames_share_their_provenance_instead_of_copying_it():
    frame = datasets.load("aliyah_by_year")
    prov = frame.attrs["provenance"]
    assert copy.deepcopy(prov) is prov
    derived = frame[frame.columns[:2]].head(3).copy()
    assert derived.attrs["provenance"] is prov


def test_the_sphinx_extension_loads_without_matplotlib():
    """The build draws its charts in notebooks and in one other process: a rebuild that draws none never imports matplotlib."""
    code = "import sys, edition.sphinxext.extension; print('matplotlib' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_a_build_with_nothing_to_do_never_loads_pandas():
    """The extension and the data side import pandas lazily: it loads on first use, which a no-op build never reaches."""
    code = ("import sys, importlib.util, edition.sphinxext.extension; "
            "print(isinstance(sys.modules.get('pandas'), importlib.util._LazyModule) or 'pandas' not in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "True"
    frame = datasets.load("unga_181_roll_call")  # and it loads when used
    assert len(frame) > 0
