"""fixed_url builds a layout's URLs once per process: the same URL url_for gives, and another
one where the app is mounted elsewhere (a reverse proxy's path prefix)."""
from __future__ import annotations

from flask import url_for

from coop import create_app
from coop.core.templating import fixed_url
from tests.conftest import TEST_CONFIG


def test_fixed_url_is_url_for_under_each_mount_point(app):
    for root in ("", "/coop"):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            for endpoint, values in (("core.home", {}), ("static", {"filename": "css/coop.css"}),
                                     ("requests.inbox", {"status": "new"})):
                assert fixed_url(endpoint, **values) == url_for(endpoint, **values)
            assert fixed_url("core.privacy").startswith(root + "/")
    with app.test_request_context("/", base_url="http://localhost/coop/"):
        assert fixed_url("requests.inbox", status="new") == "/coop/hulpvragen?status=new"


def test_each_app_keeps_its_own_urls(app):
    """Two apps in one process (the tests make many) do not share what they built: one of them
    may serve hashed static names (STATIC_COLLECTED) and the other not."""
    other = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    other.url_defaults(lambda endpoint, values: values.setdefault("v", "2") if endpoint == "static" else None)
    with other.test_request_context("/"):
        assert fixed_url("static", filename="css/coop.css") == "/static/css/coop.css?v=2"
    with app.test_request_context("/"):
        assert fixed_url("static", filename="css/coop.css") == "/static/css/coop.css"
