"""Replace the theme's 1.5 MB icon script with a stylesheet of the few icons the site uses.

The theme loads Font Awesome's whole SVG-with-JavaScript bundle on every page to draw
about twenty icons. After the build, the icons the pages use are cut from that bundle
into a small CSS file of masked SVGs (Font Awesome Free icons, CC BY 4.0), and the
script tag is replaced by a link to it.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

PACKS = {"fab": "brands", "far": "regular", "fas": "solid"}
CLASS_PACK = {"fab": "fab", "fa-brands": "fab", "far": "far", "fa-regular": "far", "fas": "fas", "fa-solid": "fas"}
_ICON = re.compile(r'(?:"([a-z0-9-]+)"|([a-z][a-z0-9]*)):\[(\d+),(\d+),\[([^\]]*)\],"[0-9a-f]+","([^"]+)"\]')
_REGISTER = re.compile(r'\("(fab|far|fas)",')
_SCRIPT = re.compile(r'\s*<script[^>]*src="[^"]*scripts/fontawesome\.js[^"]*"[^>]*></script>')
_PRELOAD = re.compile(r'\s*<link[^>]*href="[^"]*scripts/fontawesome\.js[^"]*"[^>]*>')
_I_TAG = re.compile(r'<i class="([^"]*)"')
_FA_NAME = re.compile(r"\bfa-([a-z0-9-]+)")
NOT_ICONS = {"solid", "brands", "regular", "lg", "xs", "sm", "xl", "2x", "fw", "spin", "pulse"}


def library(bundle: str) -> dict[tuple[str, str], tuple[int, int, str]]:
    """(pack, name or alias) -> (width, height, path), read from the Font Awesome bundle."""
    registrations = [(m.start(), m.group(1)) for m in _REGISTER.finditer(bundle)]
    icons = {}
    for m in _ICON.finditer(bundle):
        pack = next((p for at, p in registrations if at > m.start()), None)
        if pack is None:
            continue
        names = [m.group(1) or m.group(2)] + re.findall(r'"([a-z0-9-]+)"', m.group(5))
        for name in names:
            icons.setdefault((pack, name), (int(m.group(3)), int(m.group(4)), m.group(6)))
    return icons


def used_icons(texts: list[str]) -> set[tuple[str, str]]:
    """(pack, name) of every icon in the given HTML and theme scripts."""
    used = set()
    for text in texts:
        for classes in _I_TAG.findall(text) + re.findall(r'"((?:fa-solid|fa-brands|fa-regular|fas|fab|far) fa-[a-z0-9-]+)"', text):
            words = classes.split()
            pack = next((CLASS_PACK[w] for w in words if w in CLASS_PACK), None)
            for name in _FA_NAME.findall(classes):
                if pack and name not in NOT_ICONS:
                    used.add((pack, name))
    return used


def stylesheet(icons: dict, used: set[tuple[str, str]]) -> str:
    rules = [
        # :where() keeps this rule weaker than the theme's own (e.g. hiding inactive theme-switch icons).
        ":where(.fa-solid,.fas,.fa-brands,.fab,.fa-regular,.far){display:inline-block;height:1em;vertical-align:-.125em;"
        "background-color:currentColor;-webkit-mask:var(--fa-icon) center/contain no-repeat;mask:var(--fa-icon) center/contain no-repeat}",
        ".fa-lg{font-size:1.25em;line-height:.05em;vertical-align:-.075em}",
        # The theme's stylesheet also gives each icon a glyph of the Font Awesome web fonts (275 kB) in ::before;
        # the mask draws the icon, so without the glyph the fonts are never downloaded.
        ".fa-solid::before,.fas::before,.fa-brands::before,.fab::before,.fa-regular::before,.far::before{content:none!important}",
    ]
    for pack, name in sorted(used):
        if (pack, name) not in icons:
            continue
        width, height, path = icons[(pack, name)]
        svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}'><path d='{path}'/></svg>"
        url = 'url("data:image/svg+xml,' + urllib.parse.quote(svg, safe=" /=:',.-") + '")'
        selector = ",".join(f".{cls}.fa-{name}" for cls, p in CLASS_PACK.items() if p == pack)
        rules.append(f"{selector}{{width:{width / height:.4f}em;--fa-icon:{url}}}")
    return "\n".join(rules) + "\n"


def subset_icons(outdir: Path) -> set[tuple[str, str]]:
    """Write _static/edition-icons.css and point every page at it instead of the icon script."""
    bundle_path = outdir / "_static" / "scripts" / "fontawesome.js"
    if not bundle_path.is_file():
        return set()
    pages = list(outdir.rglob("*.html"))
    scripts = [p for p in (outdir / "_static").rglob("*.js") if p != bundle_path]
    used = used_icons([p.read_text(encoding="utf-8", errors="ignore") for p in pages + scripts])
    (outdir / "_static" / "edition-icons.css").write_text(stylesheet(library(bundle_path.read_text(encoding="utf-8")), used), encoding="utf-8")
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if "scripts/fontawesome.js" not in html:
            continue
        depth = "../" * (len(page.relative_to(outdir).parts) - 1)
        html = _PRELOAD.sub("", html)
        html = _SCRIPT.sub(f'\n    <link rel="stylesheet" href="{depth}_static/edition-icons.css" />', html, count=1)
        page.write_text(html, encoding="utf-8")
    return used
