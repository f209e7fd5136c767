"""`python3 dev.py serve` runs `manage.py send_alerts` every minute beside gunicorn, and the
loop stops with the server."""

from __future__ import annotations

import psutil

# The server fixtures (data_dir_copy, serve) live in tests/servers.py.
pytest_plugins = ["tests.servers"]


def alert_loops(server) -> list[psutil.Process]:
    children = psutil.Process(server.process.pid).children()
    return [child for child in children if "send_alerts" in child.cmdline()]


def test_serve_sends_alerts_on_its_own_schedule_and_stops_them_with_it(data_dir_copy, serve):
    server = serve(data_dir_copy)
    [loop] = alert_loops(server)
    assert loop.cmdline()[-3:] == ["send_alerts", "--every", "60"]
    assert "Sending alert mails every minute" in server.stdout()
    server.stop()
    gone, alive = psutil.wait_procs([loop], timeout=30)
    assert alive == [], "the loop ends with the server that started it"


def test_serve_can_leave_alerts_to_cron(data_dir_copy, serve):
    server = serve(data_dir_copy, NEWSROOM_SEND_ALERTS="0")
    assert alert_loops(server) == []
