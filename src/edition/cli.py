"""The `edition` command: check contributions, scaffold annotations, manage datasets."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from . import annotations, datasets, inventory, quotations, scaffold
from .article import import_received, load_article
from .paths import NotACheckout, checkout_root, repo_root
from .yamlfile import ProblemsFound


def cmd_check(args) -> int:
    """Validate every annotation and dataset; print all problems; exit 1 if any."""
    problems = []
    names = set(datasets.available())
    for name in sorted(names):
        found_here = datasets.validate(name)
        problems += [str(p) for p in found_here]
        if not found_here and not (repo_root() / "book" / "datasets" / f"{name}.md").is_file():
            problems.append(f"data/datasets/{name}.yml:1: (file): dataset {name} has no page. Fix: run `edition data pages`")
    found, errs = annotations.collect(datasets=names, ready=not args.drafts)
    problems += [str(p) for p in errs]
    # A file with problems is reported once, above: the inventory does not also call it missing.
    reported = {Path(p.file).stem for p in errs}
    problems += [str(p) for p in inventory.problems(inventory.load_inventory(), found, reported=reported)]
    for line in problems:
        print(line, file=sys.stderr)
    print(f"{len(found)} annotations and {len(names)} datasets checked: {len(problems)} problem(s).")
    return 1 if problems else 0


def cmd_new(args) -> int:
    """Scaffold data/annotations/<id>.yml from a quote, checking that the quote anchors."""
    try:
        where = scaffold.anchor(load_article(), args.quote)
    except scaffold.AnchorError as err:
        print(f"{err.message[0].upper()}{err.message[1:]}. Fix: {err.fix}.", file=sys.stderr)
        return 1
    draft = scaffold.Draft(
        id=args.id, anchor=where, kind="claim", author=args.author, today=dt.date.today().isoformat(),
        summary=annotations.PLACEHOLDER_SUMMARY,
        explanation=f"{annotations.PLACEHOLDER_EXPLANATION}\nFor 'unsupported', list what was searched and where.",
    )
    try:
        path = scaffold.write(draft)
    except FileExistsError as err:
        print(f"{err}.", file=sys.stderr)
        return 1
    print(f"Wrote {path} (anchored in {where.block_key}) and listed it in data/inventory.yml. Fill it in: summary, explanation, verdict, "
          "sources and author (if you change its kind, change it in the inventory too), then run `edition check`, which refuses the placeholders until they are replaced.")
    return 0


def cmd_data_rehash(args) -> int:
    """Validate each CSV against its manifest; record its checksum and row count only if it is valid."""
    failed = 0
    for name in args.names or datasets.available():
        try:
            prov = datasets.rehash(name)
        except ProblemsFound as err:
            failed += 1
            for problem in err.problems:
                print(problem, file=sys.stderr)
            print(f"{name}: not rehashed: {len(err.problems)} problem(s); the manifest is unchanged.", file=sys.stderr)
        except KeyError as err:
            failed += 1
            print(err.args[0], file=sys.stderr)
        else:
            print(f"{name}: {prov.rows} rows, sha256 {prov.sha256}")
    return 1 if failed else 0


def cmd_data_pages(args) -> int:
    """Write the appendix page of every dataset that has none (its content is generated)."""
    folder = repo_root() / "book" / "datasets"
    for name in datasets.available():
        page = folder / f"{name}.md"
        if not page.exists():
            title = datasets.manifest(name).title
            page.write_text(f"# {title}\n\n```{{dataset-page}} {name}\n```\n", encoding="utf-8")
            print(f"wrote {page}")
    return 0


def cmd_data_refresh(args) -> int:
    from . import pullers

    try:
        report = pullers.refresh(args.name, write=not args.dry_run)
    except pullers.PullError as err:
        print(f"refresh of {args.name} failed, snapshot left unchanged: {err}", file=sys.stderr)
        return 1
    print(report)
    return 0


def cmd_quotations(args) -> int:
    """List the quotations in the notes that neither the article nor a stored excerpt holds."""
    paths = [Path(a) for a in args.files] or sorted(annotations.annotations_dir().glob("*.yml"))
    checked = quotations.check_files(paths, [b.text for b in load_article().blocks])
    for c in checked:
        if not c.held:
            print(f"{c.file}: {c.quotation.field}: \u201c{c.quotation.text}\u201d" + (" (explained)" if c.explained else ""))
    print(f"{sum(c.held for c in checked)} of {len(checked)} quotations found in the article or an excerpt")
    return 0


def cmd_excerpts(args) -> int:
    """The re-finding rate: stored passages, and those a search of the stored copies did not find again."""
    found, errs = annotations.collect()
    for p in errs:
        print(p, file=sys.stderr)
    for a in found:
        for s in a.sources:
            for x in s.unfound_excerpts:
                print(f"{a.file}: {s.title}: not re-found on {x['not_refound']}: \u201c{x['text'][:70]}\u201d")
    tally = annotations.excerpt_tally(found)
    print(f"{tally.stored} stored excerpts: {tally.refound} shown as checked ({tally.rate:.1%}), "
          f"{tally.not_refound} marked not re-found and shown as such")
    return 1 if errs else 0


def cmd_import_article(args) -> int:
    print(f"wrote {import_received(Path(args.source))}")
    return 0


# The commands that write into the repository (data/, book/): refused outside a checkout.
WRITES = {cmd_new, cmd_data_rehash, cmd_data_pages, cmd_data_refresh, cmd_import_article}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="edition", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate every annotation and dataset: is it ready to publish?")
    check.add_argument("--drafts", action="store_true", help="accept unfinished drafts (placeholders, no sources yet); everything else is checked")
    check.set_defaults(func=cmd_check)
    new = sub.add_parser("new", help="scaffold an annotation from a quote of the article")
    new.add_argument("id", help="lowercase-hyphenated id, e.g. ussr-vote-1947")
    new.add_argument("quote", help="the article's exact words")
    new.add_argument("--author", default=annotations.PLACEHOLDER_AUTHOR, help="your name (`edition check` refuses the placeholder)")
    new.set_defaults(func=cmd_new)
    data = sub.add_parser("data", help="dataset commands").add_subparsers(dest="data_command", required=True)
    rehash = data.add_parser("rehash", help="record a CSV's checksum and row count after a deliberate edit")
    rehash.add_argument("names", nargs="*")
    rehash.set_defaults(func=cmd_data_rehash)
    data.add_parser("pages", help="write missing dataset appendix pages").set_defaults(func=cmd_data_pages)
    refresh = data.add_parser("refresh", help="re-pull a dataset from its primary source")
    refresh.add_argument("name")
    refresh.add_argument("--dry-run", action="store_true", help="show the diff, write nothing")
    refresh.set_defaults(func=cmd_data_refresh)
    quotes = sub.add_parser("quotations", help="list the notes' quotations that no excerpt or the article holds")
    quotes.add_argument("files", nargs="*", help="annotation files (default: all)")
    quotes.set_defaults(func=cmd_quotations)
    sub.add_parser("excerpts", help="count the stored excerpts and those marked not re-found").set_defaults(func=cmd_excerpts)
    imp = sub.add_parser("import-article", help="rebuild data/article.yml from the text as received")
    imp.add_argument("source")
    imp.set_defaults(func=cmd_import_article)
    args = parser.parse_args(argv)
    if args.func in WRITES and not getattr(args, "dry_run", False):
        try:
            checkout_root(" ".join(a for a in (args.command, getattr(args, "data_command", None)) if a))
        except NotACheckout as err:
            print(err, file=sys.stderr)
            return 2
    return args.func(args)



if __name__ == "__main__":
    sys.exit(main())
