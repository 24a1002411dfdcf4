"""Follow the edition: an Atom feed of corrections and verdict changes, and a sitemap of every page.

Both are written with ElementTree, which escapes every value; the feed's entries come from the
annotations' histories (each entry after the first is a change) and from the datasets' changes
to published figures, the same records as the corrections log.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED = "corrections.atom"


def _stamp(date: str) -> str:
    """A YYYY-MM-DD (or shorter) date as an RFC 3339 timestamp."""
    parts = (date.split("-") + ["01", "01"])[:3]
    return "-".join(parts) + "T00:00:00Z"


def entries(store, placed, claim_url, dataset_url) -> list[dict]:
    """One entry per change: id, date, title, link and what changed."""
    found = []
    for ann, _doc in placed:
        for n, (before, h) in enumerate(zip(ann.history, ann.history[1:]), start=2):
            if before["verdict"] == h["verdict"]:
                what = f"verdict kept: {h['verdict']}"
            else:
                what = f"verdict changed from {before['verdict']} to {h['verdict']}"
            url = claim_url(ann.id)
            found.append({"id": f"{url}#version-{n}", "date": h["date"], "link": url,
                          "title": f"{ann.id}: {what}", "summary": f"{what.capitalize()}. {h.get('note', '')}".strip()})
    for prov in store.manifests.values():
        for n, change in enumerate(prov.changelog, start=1):
            if change.get("published_figure"):
                url = dataset_url(prov.name)
                found.append({"id": f"{url}#change-{n}", "date": str(change["date"]), "link": url,
                              "title": f"dataset {prov.name}: a published figure changed",
                              "summary": f"{change.get('change', '')} {change.get('why', '')}".strip()})
    return sorted(found, key=lambda e: (e["date"], e["id"]), reverse=True)


def feed_xml(base: str, site: str, items: list[dict]) -> bytes:
    base = base.rstrip("/") + "/"
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent, tag, text=None, **attrs):
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    sub(root, "id", base + FEED)
    sub(root, "title", f"{site}: corrections and verdict changes")
    sub(root, "updated", _stamp(max((e["date"] for e in items), default="2024-11-15")))
    sub(sub(root, "author"), "name", "Editors of the annotated edition")
    sub(root, "link", rel="self", href=base + FEED)
    sub(root, "link", rel="alternate", href=base + "book/corrections.html")
    for e in items:
        entry = sub(root, "entry")
        sub(entry, "id", e["id"])
        sub(entry, "title", e["title"])
        sub(entry, "updated", _stamp(e["date"]))
        sub(entry, "link", rel="alternate", href=e["link"])
        sub(entry, "summary", e["summary"], type="text")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_feed(out: Path, base: str, site: str, items: list[dict]) -> None:
    (out / FEED).write_bytes(feed_xml(base, site, items))


def sitemap_xml(base: str, pages: list[str]) -> bytes:
    """pages: paths relative to the site's root, e.g. 'book/about.html'."""
    base = base.rstrip("/") + "/"
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for rel in sorted(set(pages)):
        ET.SubElement(ET.SubElement(root, f"{{{SITEMAP}}}url"), f"{{{SITEMAP}}}loc").text = base + rel
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_sitemap(out: Path, base: str, pages: list[str]) -> None:
    (out / "sitemap.xml").write_bytes(sitemap_xml(base, pages))
