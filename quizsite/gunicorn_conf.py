"""gunicorn settings for `make serve` and for production: `gunicorn -c quizsite/gunicorn_conf.py
quizsite.wsgi`. Every value can be overridden from the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one process; while one waits on PostgreSQL the others
# run, hence gunicorn's usual 2 × cores + 1. A client that sends its request slowly holds a
# worker just as long (five connections trickling one byte every 2 s took /healthz down for
# the 30 s timeout), so production needs a buffering proxy in front (README, Deployment:
# nginx passes on only complete requests). gthread would not remove the need: a trickling
# client still pins a thread until it finishes, so it only raises the number of connections
# an attack takes (3 workers × 8 threads: fine with 5 slow clients, down with 40; nginx in
# front: fine with 50).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Import Django once in the master, then fork: workers share the imported code's memory
# and start in milliseconds.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle a worker now and then so that a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# Only trust X-Forwarded-* from these addresses (the load balancer).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server: object) -> None:
    """In the master, before the workers fork: load matplotlib once for all of them. A new
    worker (after a deploy or a max_requests recycle) would otherwise import it on its first
    figure, seconds during which it answers nothing, /healthz included."""
    from questions.plotting import warm_up

    warm_up()
