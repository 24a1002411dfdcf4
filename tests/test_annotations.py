"""The annotation model: every validation error teaches, and no contributed text can inject script."""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from edition import annotations, markup
from edition.article import load_article
from edition.yamlfile import ProblemsFound

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
        ({"quote": {"exact": "voted together with the imperial powers"}}, r"quote\.exact: the quote is not in the article; the closest passage is 'voted together with the imperialist pow'"),
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
    ],
    ids=["missing-field", "unknown-field", "unknown-verdict", "verdict-on-opinion", "quote-not-found", "quote-not-unique",
         "unknown-dataset", "source-without-url", "javascript-url", "data-url", "raw-html", "raw-directive", "inaccurate-one-source",
         "misleading-one-source", "non-iso-date", "impossible-date", "bad-id", "verdict-change-unrecorded"],
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
