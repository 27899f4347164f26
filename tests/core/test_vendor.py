"""static/vendor/ holds only what a page loads, and every file a page points to is there.

A file counts as loaded when a template links it (url_for or fixed_url('static', filename=…)), when the
folium maps link it (coop/geo/maps.py), or when a loaded stylesheet or script points to it
(CSS url(…), JavaScript import … from "…"), followed to the end.
"""
from __future__ import annotations

import re
from pathlib import Path

from coop.geo import maps

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"
VENDOR = STATIC / "vendor"
NOT_SERVED = re.compile(r"^(README|LICEN[CS]E|MIT-LICEN[CS]E)", re.I)  # licences and notes stay

TEMPLATE_LINK = re.compile(r"""(?:url_for|fixed_url)\(\s*['"]static['"]\s*,\s*filename\s*=\s*['"]([^'"]+)['"]""")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")
JS_IMPORT = re.compile(r"""(?:\bimport|\bfrom)\s*\(?\s*['"]([./][^'"]*)['"]""")


def _resolve(ref: str, base: Path) -> Path | None:
    """The file under static/ that `ref` (found in `base`) points to; None for none."""
    ref = ref.split("#", 1)[0].split("?", 1)[0]
    if not ref or ref.startswith(("data:", "http:", "https:", "//")):
        return None
    if ref.startswith("/static/"):
        return (STATIC / ref.removeprefix("/static/")).resolve()
    return (base.parent / ref).resolve()


def _references(path: Path) -> set[Path]:
    text = path.read_text(encoding="utf-8", errors="replace")
    pattern = {".css": CSS_URL, ".js": JS_IMPORT}.get(path.suffix)
    if pattern is None:
        return set()
    return {p for p in (_resolve(m, path) for m in pattern.findall(text)) if p is not None}


def _loaded() -> tuple[set[Path], list[tuple[str, Path]]]:
    """(every static file reached, every (source, target) reference for the existence check)."""
    refs: list[tuple[str, Path]] = []
    for template in sorted((ROOT / "templates").rglob("*")):
        if template.is_file():
            for name in TEMPLATE_LINK.findall(template.read_text(encoding="utf-8")):
                refs.append((str(template.relative_to(ROOT)), (STATIC / name).resolve()))
    refs += [("coop/geo/maps.py", (STATIC / path).resolve()) for path in maps.vendored_paths()]
    reached: set[Path] = set()
    todo = [target for _, target in refs]
    while todo:
        path = todo.pop()
        if path in reached or not path.is_file():
            continue
        reached.add(path)
        for target in _references(path):
            refs.append((str(path.relative_to(ROOT)), target))
            todo.append(target)
    return reached, refs


def test_every_vendored_file_is_loaded_by_some_page():
    reached, _ = _loaded()
    vendored = {p.resolve() for p in VENDOR.rglob("*") if p.is_file() and not NOT_SERVED.match(p.name)}
    unused = sorted(str(p.relative_to(ROOT)) for p in vendored - reached)
    assert not unused, f"vendored but loaded by no page: {unused}"
    assert (VENDOR / "leaflet" / "leaflet.js").resolve() in reached  # the walk itself works


def test_every_referenced_static_file_exists():
    _, refs = _loaded()
    missing = sorted({f"{source} -> {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}"
                      for source, target in refs if not target.is_file()})
    assert not missing, missing
    # The references found include the ones only a stylesheet or a module makes.
    targets = {target for _, target in refs}
    assert (VENDOR / "leaflet" / "images" / "layers.png").resolve() in targets
    assert (VENDOR / "govuk-frontend" / "govuk-frontend.min.js").resolve() in targets


def test_every_vendored_package_keeps_its_licence():
    for package in (p for p in VENDOR.iterdir() if p.is_dir()):
        assert any(NOT_SERVED.match(f.name) and not f.name.startswith("README") for f in package.iterdir()), package
