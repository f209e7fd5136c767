"""gunicorn's settings for `python3 dev.py serve`, read from the environment (README's table).

Worker model: gthread. Each worker process reads requests in a pool of threads, so a client
that sends half a request and waits holds one thread, not the whole process as a sync worker
would; the other threads go on answering. That covers a few slow or half-open clients; many
of them at once (more than workers x threads) still need a buffering proxy such as nginx in
front, as does TLS.
"""

import os

wsgi_app = "newsroom.wsgi:application"
bind = [os.environ.get("NEWSROOM_BIND", "127.0.0.1:8000")]
worker_class = "gthread"
workers = int(os.environ.get("NEWSROOM_WORKERS", "2"))
threads = int(os.environ.get("NEWSROOM_THREADS", "8"))
timeout = int(os.environ.get("NEWSROOM_WORKER_TIMEOUT", "30"))
keepalive = 5
# Only these addresses may say, through X-Forwarded-*, that a request came over TLS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One access line per request on stdout, with its duration in milliseconds; errors (with
# tracebacks) on stderr.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'

# gunicorn's control socket sits at one fixed path per user; several servers on one machine
# (tests, a staging copy) would fight over it, and nothing here uses it.
control_socket_disable = True
