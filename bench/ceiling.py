"""The ceiling: the smallest Flask app, served by the same gunicorn configuration as Glowstep.

Its requests per second are the most this machine, gunicorn and Flask give when a request does
no work at all, so the benchmark reports Glowstep's pages as a share of it: a share survives a
change of machine, an absolute number doesn't.

    gunicorn -c gunicorn.conf.py bench.ceiling:app
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index() -> str:
    return "ok"
