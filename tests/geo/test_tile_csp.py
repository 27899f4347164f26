"""The map tiles' origin is allowed in img-src for every form of TILE_URL (and nothing wider)."""
from __future__ import annotations

import pytest

from coop import create_app
from tests.conftest import TEST_CONFIG


@pytest.mark.parametrize("tile_url, source", [
    ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
    ("https://{s}.tile.openstreetmap.fr/hot/{z}/{x}/{y}.png", "https://*.tile.openstreetmap.fr"),
    ("http://tiles.example.nl:8080/{z}/{x}/{y}.png", "http://tiles.example.nl:8080"),
    ("//tiles.example.nl/{z}/{x}/{y}.png", "tiles.example.nl"),
    ("/static/tiles/{z}/{x}/{y}.png", None),
])
def test_img_src_allows_the_tile_origin(tmp_path, tile_url, source):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/t.sqlite",
                      "TILE_URL": tile_url})
    csp = app.test_client().get("/inloggen").headers["Content-Security-Policy"]
    img_src = next(d for d in csp.split("; ") if d.startswith("img-src")).split()
    if source is None:
        assert img_src == ["img-src", "'self'", "data:"]
    else:
        assert img_src == ["img-src", "'self'", "data:", source]
