"""The theme's sidebar navigation: toggles named for screen readers, and drawn once for all the claim pages."""

from __future__ import annotations

from .claimpages import FOLDER


def label_toggles(soup):
    """Name the theme's icon-only sidebar toggles after the section they open (axe: summary-name)."""
    for summary in soup.select("li.has-children > details > summary") if hasattr(soup, "select") else []:
        link = summary.find_parent("li").find("a", recursive=False)
        if link is not None and not summary.get_text(strip=True):
            summary["aria-label"] = f"Pages under {link.get_text(strip=True)}"
    return soup


def label_navigation_toggles(app, pagename, templatename, context, doctree) -> None:
    generate = context.get("generate_toctree_html")
    if generate is not None:
        context["generate_toctree_html"] = lambda *args, **kwargs: label_toggles(generate(*args, **kwargs))


def share_navigation(app, pagename, templatename, context, doctree) -> None:
    """On a claim page, the sidebar navigation is drawn once for all of them (templates/edition-shared-nav.html).

    Every claim page sits one folder down and outside the table of contents, so the navigation is the same on
    each. This runs before the theme's handlers (priority 500), which render each sidebar template once to see
    whether it is empty: the template is swapped before that.
    """
    if not pagename.startswith(f"{FOLDER}/") or "sbt-sidebar-nav.html" not in context.get("sidebars", []):
        return
    context["sidebars"] = ["edition-shared-nav.html" if name == "sbt-sidebar-nav.html" else name for name in context["sidebars"]]
    drawn = app.__dict__.setdefault("edition_claim_navigation", {})

    def drawn_once(generate, **options):
        key = repr(sorted(options.items()))
        if key not in drawn:
            drawn[key] = str(label_toggles(generate(**options)))
        return drawn[key]

    context["edition_drawn_once"] = drawn_once


def setup_navigation(app) -> None:
    app.connect("html-page-context", share_navigation, priority=499)
    app.connect("html-page-context", label_navigation_toggles, priority=600)  # after the theme's (500)
