"""Static files for production: content-hashed copies, compressed, cached for a year.

`flask --app coop collect-static` copies static/ into instance/static/ and adds, for every
file, a copy named by its content (`css/coop.3f2a9c1b7d4e.css`) plus gzip (and brotli, when
the brotli package is installed) versions, and writes manifest.json. With STATIC_COLLECTED
on (production), WhiteNoise serves that folder — the hashed names as immutable for a year,
the compressed version to every client that accepts it — and url_for('static', …) points at
the hashed names, so a new release is fetched at once and an unchanged file never again.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import click
from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

MANIFEST = "manifest.json"


def hashed_name(relative: str, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()[:12]
    path = Path(relative)
    return str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))


def collect(source: Path, target: Path) -> dict[str, str]:
    """Rebuild `target` from `source`; return the manifest (original → hashed name)."""
    if target.exists():
        shutil.rmtree(target)
    manifest: dict[str, str] = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        content = path.read_bytes()
        hashed = hashed_name(relative, content)
        for name in (relative, hashed):
            out = target / name
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(content)
        manifest[relative] = hashed
    compressor = Compressor(quiet=True)
    for path in [p for p in target.rglob("*") if p.is_file()]:
        if compressor.should_compress(str(path)):
            list(compressor.compress(str(path)))
    (target / MANIFEST).write_text(json.dumps(manifest, indent=0, sort_keys=True))
    return manifest


def collected_dir(app: Flask) -> Path:
    return Path(app.instance_path) / "static"


def init_app(app: Flask) -> None:
    """Serve the collected files when STATIC_COLLECTED is on; otherwise Flask serves static/."""
    if not app.config.get("STATIC_COLLECTED"):
        return
    root = collected_dir(app)
    manifest_file = root / MANIFEST
    if not manifest_file.exists():
        if click.get_current_context(silent=True) is not None:
            return  # a flask command (collect-static itself, db upgrade, the scheduler) serves no page
        raise RuntimeError(f"STATIC_COLLECTED is on but {manifest_file} is missing: "
                           "run `flask --app coop collect-static` first.")
    manifest: dict[str, str] = json.loads(manifest_file.read_text())
    hashed = frozenset(manifest.values())
    prefix = (app.static_url_path or "/static").strip("/") + "/"

    def immutable(path: str, url: str) -> bool:
        return url.removeprefix("/" + prefix) in hashed

    def nosniff(headers, path: str, url: str) -> None:
        headers["X-Content-Type-Options"] = "nosniff"

    app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(root), prefix=prefix,  # type: ignore[method-assign]
                              max_age=300, immutable_file_test=immutable,
                              add_headers_function=nosniff, allow_all_origins=False)

    @app.url_defaults
    def hashed_static(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]
