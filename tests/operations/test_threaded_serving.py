"""A threaded server (what ``manage.py runserver`` and a threaded WSGI server run) answers many
readers at once, while articles are saved, without a single error."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request

import pytest
from django.db import connection

from search.models import Article
from search.operations import index_sync

PATHS = [
    "/?q=cyber",
    "/?q=%22defence+minister%22",
    "/?q=coop*&sort=newest",
    "/?minister=jaishankar",
    "/api/search?q=japan&per_page=5",
    "/api/search?q=satelites",
    "/?q=india&page=1",
]


@pytest.mark.django_db(transaction=True)
def test_ten_threads_read_while_articles_are_saved(live_server, seeded):
    errors: list[str] = []
    answered = []
    article_ids = [article.pk for article in seeded.values()]

    def read(number: int) -> None:
        for n in range(20):
            path = PATHS[(number + n) % len(PATHS)]
            headers = {"HX-Request": "true"} if n % 3 == 0 and not path.startswith("/api") else {}
            request = urllib.request.Request(live_server.url + path, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    answered.append(response.status)
            except urllib.error.HTTPError as error:
                errors.append(f"{path}: {error.code}")
            except Exception as error:  # a reset connection is a failure too
                errors.append(f"{path}: {error!r}")

    def write() -> None:
        try:
            for n in range(10):
                article = Article.objects.get(pk=article_ids[n % len(article_ids)])
                article.title = f"{article.title.split(' #')[0]} #{n}"
                article.save()
                index_sync.flush_quietly()
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(number,)) for number in range(10)]
    threads.append(threading.Thread(target=write))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert errors == []
    assert answered == [200] * 200
