"""The annotation model: every validation error teaches, and no contributed text can inject script."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from edition import annotations, markup
from edition.article import load_article
from edition.yamlfile import ProblemsFound

pytestmark = pytest.mark.check  # part of `make check`

ARTICLE = load_article()
DATASETS = {"unga_181_roll_call", "aliyah_by_year"}
GOOD = {
    "id": "ussr-vote-test",
    "quote": {"exact": "voted together with the imperialist powers (USA, Great Britain, France)"},
    "kind": "claim",
    "verdict": "mostly accurate",
    "summary": "The USSR, the US and France voted yes; the UK abstained.",
    "explanation": "The roll call of 29 November 1947 shows *three* of the four powers in favour. See [the record](https://history.state.gov/historicaldocuments/frus1947v05/d896).",
    "sources": [{"title": "Telegram 1271", "publisher": "Office of the Historian", "date": "1947-11-29", "url": "https://history.state.gov/historicaldocuments/frus1947v05/d896", "consulted": "2026-11-24",
                 "excerpts": [{"text": "The United Kingdom abstained.", "language": "en"}]}],
    "datasets": ["unga_181_roll_call"],
    "author": "Test editor",
    "updated": "2026-11-24",
    "history": [{"date": "2026-11-24", "verdict": "mostly accurate", "note": "First published."}],
}


def write(folder, data, name=None) -> "Path":  # noqa: F821
    path = folder / f"{name or data.get('id', 'x')}.yml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems_of(tmp_path, data, name=None) -> list[str]:
    path = write(tmp_path, data, name)
    with pytest.raises(ProblemsFound) as err:
        annotations.read(path, ARTICLE, DATASETS)
    return [str(p) for p in err.value.problems]


def changed(**fields):
    data = copy.deepcopy(GOOD)
    for key, value in fields.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return data


def test_a_good_annotation_reads_and_anchors(tmp_path):
    ann = annotations.read(write(tmp_path, GOOD), ARTICLE, DATASETS)
    assert ann.block_key == "p2"
    assert ARTICLE.block("p2").text[ann.start : ann.start + len(ann.exact)] == ann.exact


def test_yaml_syntax_error_names_the_line(tmp_path):
    text = yaml.safe_dump(GOOD, sort_keys=False).replace("kind: claim", "kind: [claim")
    (problem,) = problems_of(tmp_path, text, "ussr-vote-test")
    assert re.match(r".*ussr-vote-test\.yml:\d+: \(file\): YAML syntax error", problem)


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"summary": None}, r":1: summary: required field 'summary' is missing\. Fix: add a one-sentence summary"),
        ({"verdikt": "accurate"}, r":\d+: verdikt: Additional properties .*Fix: remove or correct the misspelt field"),
        ({"verdict": "true-ish", "history": [{"date": "2026-11-24", "verdict": "accurate", "note": "x y z"}]}, r"verdict: 'true-ish' is not one of the allowed values\. Fix: use one of: accurate, mostly accurate"),
        ({"kind": "opinion"}, r"verdict: an opinion gets no verdict, but this one has 'mostly accurate'\. Fix: set 'verdict: opinion'"),
        ({"quote": {"exact": "voted together with the imperial powers"}}, r"quote\.exact: the quote is not in the article; closest passage: \u201cvoted together with the imperial\u27e6i\u27e7st pow\u201d; they differ at character 33: the article has 'i', the quote has ' '"),
        ({"quote": {"exact": "Putin"}}, r"quote\.exact: the quote occurs \d+ times .*Fix: add 'prefix:' or 'suffix:'"),
        ({"datasets": ["oil_by_guess"]}, r"datasets\.0: unknown dataset 'oil_by_guess'\. Fix: use one of: aliyah_by_year, unga_181_roll_call"),
        ({"sources": [{"title": "A", "publisher": "B", "date": "2020", "consulted": "2026-11-24"}]}, r"sources\.0\.url: required field 'url' is missing\. Fix: give the full address"),
        ({"sources": [{**GOOD["sources"][0], "url": "javascript:alert(1)"}]}, r"sources\.0\.url: 'javascript:alert\(1\)' does not have the expected form\. Fix: give the full address"),
        ({"sources": [{**GOOD["sources"][0], "url": "data:text/html;base64,PHNjcmlwdD4="}]}, r"sources\.0\.url: 'data:text/html"),
        ({"explanation": "A claim <script>alert(1)</script> about the vote of the powers in 1947."}, r"explanation: raw HTML is not allowed"),
        ({"explanation": "A directive:\n\n```{raw} html\n<b>x</b>\n```\n\nmore text about it here."}, r"explanation: MyST directives and code fences are not allowed"),
        ({"verdict": "inaccurate", "history": [{"date": "2026-11-24", "verdict": "inaccurate", "note": "First published."}]}, r"sources: a verdict of 'inaccurate' needs at least two independent sources, found 1"),
        ({"verdict": "misleading", "history": [{"date": "2026-11-24", "verdict": "misleading", "note": "First published."}]}, r"sources: a verdict of 'misleading' needs at least two"),
        ({"updated": "24/11/2026"}, r"updated: '24/11/2026' does not have the expected form"),
        ({"updated": "2026-02-30"}, r"updated: '2026-02-30' is not a real calendar date"),
        ({"id": "Bad Id"}, r"id: 'Bad Id' does not have the expected form\. Fix: use lowercase letters"),
        ({"verdict": "accurate"}, r"history: the last history entry says 'mostly accurate' but the verdict is 'accurate'\. Fix: record the change"),
        ({"summary": annotations.PLACEHOLDER_SUMMARY}, r":\d+: summary: still holds the placeholder \u201cOne sentence: what the evidence shows\.\u201d\. Fix: replace it"),
        ({"sources": [{**GOOD["sources"][0], "title": "Title of the page or document"}]}, r"sources\.0\.title: still holds the placeholder"),
        ({"author": "Your name"}, r"author: the author is still the placeholder 'Your name'\. Fix: put your name"),
        ({"sources": []}, r"sources: a rated verdict \('mostly accurate'\) needs at least one source\. Fix: add the source"),
        ({"sources": [], "verdict": "unsupported", "history": [{"date": "2026-11-24", "verdict": "unsupported", "note": "First published."}]},
         r"sources: a rated verdict \('unsupported'\) needs at least one source"),
        ({"explanation": "See [the record](javascript:alert(1)) for the vote of the four powers in 1947."}, r"explanation: .*Fix: remove the markup; see 'Field guide' in CONTRIBUTING\.md"),
    ],
    ids=["missing-field", "unknown-field", "unknown-verdict", "verdict-on-opinion", "quote-not-found", "quote-not-unique",
         "unknown-dataset", "source-without-url", "javascript-url", "data-url", "raw-html", "raw-directive", "inaccurate-one-source",
         "misleading-one-source", "non-iso-date", "impossible-date", "bad-id", "verdict-change-unrecorded",
         "placeholder-summary", "placeholder-source-title", "placeholder-author", "rated-without-sources", "unsupported-without-sources", "javascript-link"],
)
def test_each_problem_is_located_and_says_how_to_fix_it(tmp_path, fields, expected):
    problems = problems_of(tmp_path, changed(**fields), name="ussr-vote-test")
    assert any(re.search(expected, p) for p in problems), problems
    assert all(re.match(r"\S+\.yml:\d+: ", p) for p in problems)


def test_all_problems_are_reported_at_once(tmp_path):
    problems = problems_of(tmp_path, changed(summary=None, verdikt="x", updated="yesterday"), name="ussr-vote-test")
    assert len(problems) >= 3


def test_duplicate_ids_and_overlapping_quotes_across_files(tmp_path):
    write(tmp_path, GOOD)
    write(tmp_path, changed(quote={"exact": "the imperialist powers (USA"}), name="other")
    write(tmp_path, changed(id="overlapping", quote={"exact": "the imperialist powers (USA"}))
    found, problems = annotations.collect(tmp_path, ARTICLE, DATASETS)
    text = "\n".join(map(str, problems))
    assert "id 'ussr-vote-test' does not match the file name other.yml" in text
    assert "duplicate id 'ussr-vote-test'" in text
    assert "overlaps the quote of" in text


def test_prefix_and_suffix_disambiguate_a_repeated_quote(tmp_path):
    data = changed(quote={"exact": "Putin", "prefix": "In 2011, "})
    ann = annotations.read(write(tmp_path, data), ARTICLE, DATASETS)
    assert ann.block_key == "p8"


# At least ten ways of putting script into a page: each is refused by the validator...
PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x61;script:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "```{raw} html\n<script>alert(1)</script>\n```",
    ":::{raw} html\n<script>alert(1)</script>\n:::",
    "{raw-html}`<script>alert(1)</script>`",
    "![x](https://example.org/x.png \"t\" onerror=alert(1))",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<iframe src=\"https://example.org\"></iframe>",
    "[x](vbscript:msgbox(1))",
    "<svg onload=alert(1)>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_script_payloads_are_rejected_with_a_clear_message(tmp_path, payload):
    problems = problems_of(tmp_path, changed(explanation=f"Context for the vote. {payload} More words to read."), name="ussr-vote-test")
    assert any(re.search(r"explanation: .*(not allowed|HTML)", p) for p in problems), problems


# ...and even if the validator were bypassed, rendering emits no executable content.

@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendering_never_emits_executable_content(payload):
    from bs4 import BeautifulSoup
    from docutils.core import publish_from_doctree
    from docutils.utils import new_document

    doc = new_document("<test>")
    for node in markup.to_nodes(f"Before. {payload} After."):
        doc += node
    body = BeautifulSoup(publish_from_doctree(doc, writer_name="html5"), "html.parser").body
    assert not body.find_all(["script", "img", "iframe", "svg", "object", "embed", "style"])
    for tag in body.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
        assert markup.url_is_safe(tag.get("href", "#")), tag


def test_safe_urls():
    assert markup.url_is_safe("https://un.org/x")
    assert markup.url_is_safe("#claim-x")
    for bad in ("javascript:alert(1)", " javascript:alert(1)", "java\tscript:x", "jav&#x61;script:x", "data:x", "http:/x", "//evil.example"):
        assert not markup.url_is_safe(bad), bad


def test_a_draft_passes_as_a_draft_but_not_as_ready_to_publish(tmp_path):
    draft = changed(summary=annotations.PLACEHOLDER_SUMMARY, author=annotations.PLACEHOLDER_AUTHOR, sources=[], datasets=None)
    path = write(tmp_path, draft)
    assert annotations.read(path, ARTICLE, DATASETS, ready=False).summary == annotations.PLACEHOLDER_SUMMARY
    with pytest.raises(ProblemsFound) as err:
        annotations.read(path, ARTICLE, DATASETS)
    assert {p.field for p in err.value.problems} == {"summary", "author", "sources"}


def test_the_first_difference_is_marked_where_it_is():
    assert annotations.first_difference("visa \u201cexemption\u201d", 'visa "exemption"') == 5
    assert annotations.first_difference("abc", "abcd") == 3
    message = annotations.mismatch(ARTICLE, "In 2007, Russia and Israel signed a \"visa exemption\" agreement")
    assert "\u27e6\u201c\u27e7visa exemption" in message and "the article has '\u201c', the quote has '\"'" in message


def test_every_see_reference_in_a_message_names_a_real_heading_of_contributing(root):
    headings = {line.lstrip("#").strip() for line in (root / "CONTRIBUTING.md").read_text(encoding="utf-8").splitlines() if line.startswith("#")}
    sources = [p for p in (root / "src" / "edition").rglob("*.py")]
    cited = {(p.name, ref) for p in sources for ref in re.findall(r"'([^'\n]+)' in CONTRIBUTING\.md", p.read_text(encoding="utf-8"))}
    assert cited, "no message refers to CONTRIBUTING.md any more: update this test"
    assert {(name, ref) for name, ref in cited if ref not in headings} == set()
    # And the message a contributor actually gets for a javascript: link follows to a real heading.
    problems = [p.fix for p in annotations._problems(_doc(changed(explanation="See [it](javascript:alert(1)) and the record of the vote in 1947.")), ARTICLE, DATASETS)]
    refs = [ref for fix in problems for ref in re.findall(r"see '([^']+)' in CONTRIBUTING\.md", fix)]
    assert refs and set(refs) <= headings


def _doc(data):
    from edition.yamlfile import YamlDoc

    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return YamlDoc(Path("ussr-vote-test.yml"), "ussr-vote-test.yml", yaml.safe_load(text), yaml.compose(text))


def test_kept_results_are_used_only_while_files_and_code_are_unchanged(root, tmp_path, monkeypatch):
    """The build keeps collect()'s result for its notebooks: it is reused for the same files and code, never after a change."""
    import shutil

    folder = tmp_path / "annotations"
    shutil.copytree(root / "data" / "annotations", folder)
    code = tmp_path / "code"
    shutil.copytree(Path(annotations.__file__).parent, code, ignore=shutil.ignore_patterns("__pycache__", "sphinxext", "pullers", "static", "templates"))
    monkeypatch.setattr(annotations, "_CODE", code)
    monkeypatch.setenv(annotations.CACHE_VARIABLE, str(tmp_path / "kept"))
    first = annotations.collect(folder)
    assert len(list((tmp_path / "kept").glob("annotations-*.pickle"))) == 1
    real = annotations._collect
    monkeypatch.setattr(annotations, "_collect", lambda *a: pytest.fail("the files were read again"))
    assert annotations.collect(folder) == first  # same files, same code: the kept result
    monkeypatch.setattr(annotations, "_collect", real)
    note = folder / "ussr-vote-1947.yml"
    note.write_text(note.read_text(encoding="utf-8").replace("summary:", "summary: Changed.", 1) + "\n", encoding="utf-8")
    changed = annotations.collect(folder)
    assert changed != first and any(a.summary.startswith("Changed.") for a in changed[0])
    (code / "markup.py").write_text((code / "markup.py").read_text() + "\n# changed\n")
    annotations.collect(folder)  # changed code: read again, kept under a new digest
    assert len(list((tmp_path / "kept").glob("annotations-*.pickle"))) == 3
