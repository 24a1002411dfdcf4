"""A reader's suggestion (the issue form "Suggest an annotation") turned into a draft annotation.

`convert()` is a pure function of the issue body (and the issue's number and author): it returns the
draft, or raises Refused with every problem located by the form's field and the body's line. `main()`
is what the workflow runs: it writes the draft, runs `edition check --drafts`, and leaves either a pull-request
body or a comment for the issue. Issue text never reaches a shell: it is read from the event file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import annotations, inventory, markup, scaffold
from .article import Article, load_article
from .yamlfile import Problem

FORM = "suggest-an-annotation.yml"
CORRECTION_FORM = "suggest-a-correction.yml"
# The form's field ids and their labels, as GitHub writes them into the issue body ("### label").
LABELS = {
    "exact": "The words to check",
    "prefix": "Words just before them",
    "suffix": "Words just after them",
    "place": "Chapter and paragraph",
    "page": "Page",
    "kind": "What kind of statement is it?",
    "problem": "What needs checking?",
    "sources": "Your sources",
    "standard": "Editorial standard",
}
REQUIRED = ("exact", "kind", "problem", "standard")
KINDS = {"A statement of fact": "claim", "A quotation": "quotation", "A characterisation or opinion": "opinion"}
LIMITS = {"exact": 600, "prefix": 200, "suffix": 200, "place": 200, "page": 500, "problem": 5000, "sources": 3000}
NO_RESPONSE = "_No response_"
SINGLE_LINE = ("exact", "prefix", "suffix", "place", "page")
# Command substitution, variable and workflow-expression syntax: never needed in a suggestion, and
# refused even though no workflow passes issue text to a shell (defence in depth).
_SHELL = re.compile(r"\$\(|\$\{|`|\$\[")
_BAD_SCHEME = re.compile(r"\b(javascript|vbscript|data|file)\s*:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")


class Refused(ValueError):
    """The suggestion cannot become a draft; every problem names its field, line and fix."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


@dataclass(frozen=True)
class Suggestion:
    draft: scaffold.Draft
    reader_sources: tuple[str, ...]
    page: str
    number: int


def parse_body(body: str, where: str) -> tuple[dict[str, tuple[str, int]], list[Problem]]:
    """The form's fields as {id: (value, line)}: each label must head its section exactly once."""
    by_label = {label: key for key, label in LABELS.items()}
    lines = body.replace("\r\n", "\n").split("\n")
    found: dict[str, tuple[int, list[str]]] = {}
    problems: list[Problem] = []
    current = None
    for number, line in enumerate(lines, start=1):
        heading = line[4:].strip() if line.startswith("### ") else None
        if heading in by_label:
            key = by_label[heading]
            if key in found:
                problems.append(Problem(where, number, heading, "this heading occurs more than once in the issue",
                                        "keep one section per field: remove the repeated heading from your text"))
                current = None
                continue
            found[key] = (number, [])
            current = key
        elif current is not None:
            found[current][1].append(line)
    fields = {}
    for key, (head, body_lines) in found.items():
        value = "\n".join(body_lines).strip()
        offset = next((i for i, line in enumerate(body_lines) if line.strip()), 0)
        fields[key] = ("" if value == NO_RESPONSE else value, head + 1 + offset)
    for key in REQUIRED:
        if not fields.get(key, ("", 0))[0]:
            line = fields[key][1] if key in fields else 1
            problems.append(Problem(where, line, LABELS[key], "this required field is missing or empty",
                                    f"fill in '{LABELS[key]}' (edit the issue, keeping the form's headings), or open a new issue with the form 'Suggest an annotation'"))
    return fields, problems


def _field_problems(key: str, value: str, line: int, where: str) -> list[Problem]:
    """Hostile or malformed content in one field."""
    label = LABELS[key]

    def problem(message: str, fix: str) -> Problem:
        return Problem(where, line, label, message, fix)

    found = []
    if len(value) > LIMITS.get(key, 10_000):
        found.append(problem(f"the text is {len(value)} characters long, more than {LIMITS[key]}", "shorten it"))
    if _CONTROL.search(value):
        found.append(problem("the text contains control characters", "retype it as plain text"))
    if key in SINGLE_LINE and "\n" in value:
        found.append(problem("a single line is expected here", "put it on one line"))
    if key in ("exact", "prefix", "suffix"):
        return found  # only ever the article's own words: anchoring checks them
    if _SHELL.search(value):
        found.append(problem("command or expression syntax ($(...), ${...}, backticks) is not accepted in a suggestion", "write plain text"))
    decoded = html.unescape(value)
    if _BAD_SCHEME.search(decoded) or _BAD_SCHEME.search(re.sub(r"\s+", "", decoded)):
        found.append(problem("a javascript:, vbscript:, data: or file: address is not accepted", "give sources as https:// addresses"))
    if key == "page" and value and not (markup.url_is_safe(value) and re.fullmatch(r"https?://[^\s<>\"]+", value)):
        found.append(problem(f"{value!r} is not an http(s) address", "give the page's address, starting with https://"))
    for reason in markup.problems_in(value, inline_only=key in SINGLE_LINE):
        found.append(problem(reason, "write plain text; links as [title](https://...)"))
    return found


def convert(body: str, number: int, login: str, today: str, article: Article, existing: list | None = None) -> Suggestion:
    """The draft annotation a suggestion asks for, or Refused listing every problem."""
    where = f"issue #{number}"
    fields, problems = parse_body(body or "", where)
    value = {key: fields.get(key, ("", 1))[0] for key in LABELS}
    line = {key: fields.get(key, ("", 1))[1] for key in LABELS}
    for key in LABELS:
        problems += _field_problems(key, value[key], line[key], where)
    if not _LOGIN.match(login or ""):
        problems.append(Problem(where, 1, "author", f"{login!r} is not a GitHub user name", "open the issue from a GitHub account"))
    kind = KINDS.get(value["kind"])
    if value["kind"] and kind is None:
        problems.append(Problem(where, line["kind"], LABELS["kind"], f"{value['kind']!r} is not one of the form's choices", "choose one of: " + ", ".join(KINDS)))
    if value["standard"] and not re.search(r"^- \[[xX]\] ", value["standard"], re.MULTILINE):
        problems.append(Problem(where, line["standard"], LABELS["standard"], "the box is not ticked", "read the methodology page and tick the box"))
    if problems:
        raise Refused(problems)
    hits = annotations.locate(article, value["exact"])
    for key, fits in (("prefix", lambda b, s: b.text[:s].rstrip().endswith(value["prefix"].strip())),
                      ("suffix", lambda b, s: b.text[s + len(value["exact"]):].lstrip().startswith(value["suffix"].strip()))):
        if hits and value[key] and not any(fits(b, s) for b, s in hits):
            problems.append(Problem(where, line[key], LABELS[key], "these words are not next to the words to check in the article",
                                    "copy the article's words exactly, or leave this field empty"))
    if problems:
        raise Refused(problems)
    try:
        where_in_text = scaffold.anchor(article, value["exact"], value["prefix"], value["suffix"], loose=True)
    except scaffold.AnchorError as err:
        raise Refused([Problem(where, line["exact"], LABELS["exact"], err.message, f"{err.fix}; on the page, extend the selection and press the button again")]) from None
    for ann in existing or []:
        if ann.block_key == where_in_text.block_key and ann.start < where_in_text.start + len(value["exact"]) and where_in_text.start < ann.start + len(ann.exact):
            raise Refused([Problem(where, line["exact"], LABELS["exact"], f"the words overlap the existing annotation {ann.id!r} ({ann.file})",
                                   "to question that note, use its 'Suggest a correction' link; otherwise select words outside it")])
    sources = tuple(re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", s).strip() for s in value["sources"].split("\n") if s.strip())
    draft = scaffold.Draft(
        id=f"{scaffold.slug(value['exact']) or 'suggestion'}-{number}",
        anchor=where_in_text, kind=kind, today=today,
        summary=f"A reader asked the editors to check this passage (issue #{number}); the editors' verdict is still to come.",
        explanation=_explanation(number, login, value["problem"], sources),
        author=f"Edition editors, from a suggestion by {login}",
        note=f"Drafted from a reader's suggestion (issue #{number}).",
    )
    leftover = markup.problems_in(draft.explanation)
    if leftover:
        raise Refused([Problem(where, line["problem"], LABELS["problem"], reason, "write plain text; links as [title](https://...)") for reason in leftover])
    return Suggestion(draft, sources, value["page"], number)


def _explanation(number: int, login: str, problem: str, sources: tuple[str, ...]) -> str:
    text = f"Draft from a reader's suggestion (issue #{number}, by {login}); the editors have not checked it yet. The reader wrote:\n\n{problem}"
    if sources:
        text += "\n\nSources the reader gave, to be read and cited under sources by the editors:\n\n" + "\n".join(f"- {s}" for s in sources)
    return text


def pull_request_body(s: Suggestion) -> str:
    a = s.draft.anchor
    lines = [
        f"Draft annotation from the reader's suggestion in #{s.number}, awaiting review. Closes #{s.number}.",
        "",
        f"- File: `data/annotations/{s.draft.id}.yml` (listed in `data/inventory.yml` under {a.block_key})",
        f"- Kind: {s.draft.kind}; verdict left as `{s.draft.verdict}` until the editors have read the sources",
        "",
        "Before merging: read the reader's sources, cite those you rely on under `sources` with their excerpts, "
        "write the summary and explanation to the editorial standard, set the verdict and add a history entry. "
        "Until then `edition check` (and so the tests) refuse the draft's placeholder text and missing sources.",
        "",
        "Pull requests opened by the workflow's token do not start other workflows: close and reopen this one "
        "(or push to its branch) to run the tests.",
    ]
    return "\n".join(lines) + "\n"


def refusal_comment(problems: list, number: int) -> str:
    """The comment for the issue: what is wrong and how to fix it (echoed text inside a code fence)."""
    text = "\n".join(str(p) for p in problems)
    fence = "`" * max(3, max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    return (
        "This suggestion could not be turned into a draft annotation; no branch, file or pull request was created.\n\n"
        f"{fence}text\n{text}\n{fence}\n\n"
        "Edit the issue to fix the fields named above (keep the form's headings), then ask a maintainer to add the label again.\n"
    )


def correction_url(repository: str, ann_id: str) -> str:
    """The 'Suggest a correction' form of one annotation, prefilled with its id."""
    from urllib.parse import urlencode

    query = urlencode({"template": CORRECTION_FORM, "permalink": f"claim-{ann_id}"})
    return f"{repository.rstrip('/')}/issues/new?{query}"


def _restore(path: Path, inventory_text: str) -> None:
    path.unlink(missing_ok=True)
    inventory.inventory_path().write_text(inventory_text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Draft the annotation of the issue in a GitHub event file; always leave a PR body or a comment in outdir."""
    parser = argparse.ArgumentParser(prog="python -m edition.suggestion", description=__doc__.split("\n")[0])
    parser.add_argument("event", help="the event JSON file ($GITHUB_EVENT_PATH)")
    parser.add_argument("--outdir", required=True, help="where to write pull-request-body.md or comment.md")
    args = parser.parse_args(argv)
    event = json.loads(Path(args.event).read_text(encoding="utf-8"))
    issue = event.get("issue") or {}
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    number = int(issue.get("number") or 0)
    article = load_article()
    existing, _ = annotations.collect(article=article, ready=False)  # drafts count: a new suggestion may not overlap them
    result = "refused"
    try:
        suggestion = convert(issue.get("body") or "", number, (issue.get("user") or {}).get("login", ""), dt.date.today().isoformat(), article, existing)
        before = inventory.inventory_path().read_text(encoding="utf-8")
        path = scaffold.write(suggestion.draft, sources_note="the reader's sources are listed in the explanation: cite each one here once read")
        check = subprocess.run([sys.executable, "-m", "edition.cli", "check", "--drafts"], capture_output=True, text=True)
        if check.returncode != 0:
            _restore(path, before)
            raise Refused([line for line in check.stderr.splitlines() if line.strip()] or ["edition check failed"])
        (out / "pull-request-body.md").write_text(pull_request_body(suggestion), encoding="utf-8")
        print(f"wrote {path}")
        result = "drafted"
    except (Refused, FileExistsError) as err:
        problems = err.problems if isinstance(err, Refused) else [str(err)]
        (out / "comment.md").write_text(refusal_comment(problems, number), encoding="utf-8")
        print("\n".join(map(str, problems)), file=sys.stderr)
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as handle:
            handle.write(f"result={result}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
