"""Production server settings: `gunicorn -c gunicorn.conf.py wsgi:app` (or `make serve`).

Workers are processes (one per core this process may run on, plus one, when REDIS_URL is
set; otherwise one) with a few threads each: most of a request's time is template rendering
and SQLite reads, and threads cover the waits.
"""

import gc
import os
import sys

bind = os.environ.get("GLOWSTEP_BIND", "127.0.0.1:8000")
# The sign-in limits count in Redis when REDIS_URL is set, so every process counts together;
# without it they count in memory, which is only one count when there is one process.
# (A run with the limits turned off, such as the load test's, has no counts to share.)
shared_counts = bool(os.environ.get("REDIS_URL")) or os.environ.get("GLOWSTEP_RATELIMIT_ENABLED") == "false"
# The cores this process may use (taskset, cpusets), not all the machine has: three workers
# pinned to one core only take turns on it.
cores = len(os.sched_getaffinity(0))
workers = int(os.environ.get("GLOWSTEP_WORKERS", cores + 1 if shared_counts else 1))
threads = int(os.environ.get("GLOWSTEP_THREADS", 4 if shared_counts else 8))
if workers > 1 and not shared_counts:
    sys.exit(f"Glowstep: {workers} worker processes need REDIS_URL, so the sign-in limits count across all of them "
             "(each process would otherwise allow the whole limit). Set REDIS_URL, or GLOWSTEP_WORKERS=1.")
worker_class = "gthread"
timeout = 30  # a worker silent this long is restarted
graceful_timeout = 20  # on reload/stop, in-flight requests get this long to finish
keepalive = 5
# No recycling after N requests (max_requests): nothing is known to leak, and a retiring
# gthread worker closes its idle keep-alive connections, which bench saw as stalled requests.
# Each worker listens on its own socket and the kernel deals new connections out evenly.
# On one shared socket, whichever worker woke first took them all: a proxy's (or wrk's)
# long-lived keep-alive connections then kept every request on one core of two. The costs:
# connections still waiting in the backlog of a worker that dies are reset, not handed on;
# and a second gunicorn started by mistake on the same port (same user) shares it quietly
# instead of failing to bind, so stop the old one first.
reuse_port = True
# Each worker proves it is alive by touching a file between requests. On a disk-backed /tmp
# that call can stall the worker (gunicorn's docs, "Blocking os.fchmod"); in memory it cannot.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("GLOWSTEP_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GLOWSTEP_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms req=%({x-request-id}o)s'
# Each worker builds its own app and database pool after the fork.
preload_app = False


def post_worker_init(worker):
    """The app and everything imported for it (Flask, SQLAlchemy, Jinja: some 100,000 objects)
    live as long as the worker. Freezing them keeps the garbage collector's full passes from
    walking them all (about 70 ms on a 2-core machine), a stall every request queued behind
    it would feel."""
    gc.freeze()
