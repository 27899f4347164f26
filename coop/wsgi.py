"""The WSGI entry for production servers: `gunicorn -c python:coop.ops.gunicorn_conf coop.wsgi:app`."""
from coop import create_app

app = create_app()
