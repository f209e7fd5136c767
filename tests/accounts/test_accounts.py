"""Accounts: throttled sign-in that never says which names exist, password pages, and the
API and feed tokens a user makes and revokes on their account page."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from search.models import SavedSearch
from search.models.accounts import ApiToken, FeedToken, LoginFailure, PasswordResetRequest

pytest_plugins = ["tests.servers"]

PASSWORD = "a long pass phrase"


@pytest.fixture
def private(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "PRIVATE": True}


@pytest.fixture
def reader(db):
    user = User.objects.create_user("rita", "rita@example.org", PASSWORD)
    user.groups.add(Group.objects.get(name="reader"))
    return user


def sign_in(client, username: str, password: str, address: str = "1.2.3.4"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def page_text(response) -> str:
    """The page's main region, without the per-response CSRF token."""
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def test_sign_in_then_out(client, reader, private):
    assert sign_in(client, "rita", PASSWORD).status_code == 302
    assert client.get("/accounts/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/accounts/").status_code == 302


def test_an_account_is_throttled_after_five_failures_with_the_same_answer_for_any_name(
    client, reader
):
    wrong = [sign_in(client, "rita", "wrong") for _ in range(5)]
    assert {response.status_code for response in wrong} == {200}
    assert "Please enter a correct username and password" in page_text(wrong[0])
    throttled = sign_in(client, "rita", PASSWORD, address="9.9.9.9")  # even the right one
    assert throttled.status_code == 429
    assert "Too many failed attempts to sign in. Please try again in 15 minutes." in (
        page_text(throttled)
    )
    assert 840 < int(throttled["Retry-After"]) <= 900  # the oldest failure leaves at 900 s
    assert "_auth_user_id" not in client.session
    # A name nobody has gets exactly the same answers: the pages never tell which names exist.
    nobody = [sign_in(client, "nobody", "wrong", address="5.5.5.5") for _ in range(5)]
    assert page_text(nobody[0]) == page_text(wrong[0]).replace("rita", "nobody")
    throttled_nobody = sign_in(client, "nobody", "x", address="8.8.8.8")
    assert page_text(throttled_nobody) == page_text(throttled).replace("rita", "nobody")
    # The table keeps keyed hashes, never the names typed.
    assert not LoginFailure.objects.filter(account__in=["rita", "nobody"]).exists()
    # The admin's sign-in form is throttled too (by the backend).
    response = client.post("/admin/login/?next=/admin/", {"username": "rita", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_client_is_throttled_after_twenty_failures_whatever_the_names(client, reader):
    for number in range(20):
        assert sign_in(client, f"guess{number}", "wrong").status_code == 200
    assert sign_in(client, "rita", PASSWORD).status_code == 429
    assert sign_in(client, "rita", PASSWORD, address="4.4.4.4").status_code == 302


def test_a_good_sign_in_forgets_the_accounts_failures(client, reader):
    for _ in range(4):
        sign_in(client, "rita", "wrong")
    assert sign_in(client, "rita", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        sign_in(client, "rita", "wrong")
    assert sign_in(client, "rita", PASSWORD).status_code == 302


def test_password_reset_mails_a_link_and_says_the_same_for_unknown_addresses(
    client, reader, private
):
    known = client.post("/accounts/password/reset/", {"email": "rita@example.org"}, follow=True)
    unknown = client.post("/accounts/password/reset/", {"email": "no@example.org"}, follow=True)
    assert page_text(known) == page_text(unknown)
    assert "Check your email" in page_text(known)
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    response = client.get(link.group(1), follow=True)
    assert "Choose a new password" in page_text(response)
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "another pass phrase", "new_password2": "another pass phrase"},
        follow=True,
    )
    assert "Your new password is set." in page_text(response)
    assert sign_in(client, "rita", "another pass phrase").status_code == 302


def ask_reset(client, email: str, address: str = "1.2.3.4"):
    return client.post("/accounts/password/reset/", {"email": email}, REMOTE_ADDR=address)


def test_password_reset_mails_are_throttled_per_address_with_the_same_answer_for_any_address(
    client, reader
):
    assert [ask_reset(client, "rita@example.org").status_code for _ in range(3)] == [302] * 3
    assert len(mail.outbox) == 3
    throttled = ask_reset(client, "Rita@Example.org", address="9.9.9.9")  # any client
    assert throttled.status_code == 429
    assert "Too many requests for a password-reset link. Please try again in 60 minutes." in (
        page_text(throttled)
    )
    assert 3540 < int(throttled["Retry-After"]) <= 3600  # the oldest request leaves at 1 h
    assert len(mail.outbox) == 3, "no fourth mail"
    # An address without an account gets the same answers (nothing tells which exist).
    for _ in range(3):
        assert ask_reset(client, "no@example.org", address="5.5.5.5").status_code == 302
    throttled_unknown = ask_reset(client, "no@example.org", address="8.8.8.8")
    assert page_text(throttled_unknown) == page_text(throttled).replace(
        "Rita@Example.org", "no@example.org"
    )
    assert not PasswordResetRequest.objects.filter(account__contains="example").exists()


def test_a_client_asking_resets_for_many_addresses_is_throttled(client, reader):
    for number in range(10):
        assert ask_reset(client, f"guess{number}@example.org").status_code == 302
    assert ask_reset(client, "rita@example.org").status_code == 429
    assert ask_reset(client, "rita@example.org", address="4.4.4.4").status_code == 302
    assert len(mail.outbox) == 1


def test_password_change(client, reader, private):
    client.force_login(reader)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a new pass phrase",
            "new_password2": "a new pass phrase",
        },
        follow=True,
    )
    assert "Your password was changed." in page_text(response)


def test_an_api_token_works_until_revoked_and_is_stored_hashed(client, seeded, private, reader):
    client.force_login(reader)
    response = client.post("/accounts/tokens/new/", {"name": "nightly <script>"})
    html = response.content.decode()
    token = re.search(r'<code class="token" id="new-token">(nrt_[\w-]+)</code>', html).group(1)
    assert "nightly &lt;script&gt;" in html
    row = ApiToken.objects.get()
    assert token not in {row.digest, row.prefix} and row.prefix == token[:10]
    assert token not in client.get("/accounts/").content.decode(), "shown once only"

    script = type(client)()  # no session: only the token
    bearer = {"Authorization": f"Bearer {token}"}
    article = seeded["000"]
    assert script.get("/api/search?q=cyber", headers=bearer).json()["total"] == 4
    assert script.get(f"/api/articles/{article.pk}", headers=bearer).status_code == 200
    assert script.get("/api/openapi.json", headers=bearer).status_code == 200
    assert script.get("/api/search?q=cyber").status_code == 401
    wrong = script.get("/api/search", headers={"Authorization": f"Bearer {token}x"})
    assert wrong.status_code == 401 and "not valid" in wrong.json()["error"]
    assert ApiToken.objects.get().last_used is not None

    response = client.post(f"/accounts/tokens/{row.pk}/revoke/", follow=True)
    assert "The API token was revoked" in response.content.decode()
    assert script.get("/api/search?q=cyber", headers=bearer).status_code == 401


def test_another_user_cannot_revoke_my_token(client, reader):
    ApiToken.objects.create(user=reader, name="mine", digest="d" * 64, prefix="nrt_abc")
    other = User.objects.create_user("otto", password=PASSWORD)
    client.force_login(other)
    response = client.post(f"/accounts/tokens/{ApiToken.objects.get().pk}/revoke/", follow=True)
    assert "You have no such API token" in response.content.decode()
    assert ApiToken.objects.count() == 1


def test_a_token_name_too_long_is_refused_with_a_message(client, reader):
    client.force_login(reader)
    response = client.post("/accounts/tokens/new/", {"name": "x" * 101})
    assert response.status_code == 400
    assert "A name can be at most 100 characters long; this one has 101." in (
        response.content.decode()
    )


def test_a_feed_token_opens_my_feeds_until_revoked(client, seeded, private, reader):
    SavedSearch.objects.create(name="Cyber", slug="cyber001", query_string="q=cyber")
    client.force_login(reader)
    html = client.get("/saved/").content.decode()
    feed_url = re.search(r'href="(/s/cyber001/feed/\?token=[^"]+)"', html).group(1)
    feed_reader = type(client)()
    response = feed_reader.get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert b"<entry>" in response.content
    # The token opens feeds only, never pages or the API.
    token_query = feed_url.split("?", 1)[1]
    assert feed_reader.get(f"/?{token_query}").status_code == 302
    assert feed_reader.get(f"/api/search?{token_query}").status_code == 401
    assert feed_reader.get(feed_url[:-2]).status_code == 404, "a wrong token"

    assert not FeedToken.objects.exists(), "showing feed addresses (a GET) writes nothing"
    assert client.get("/saved/").content.decode().count(feed_url) >= 1, "the same address again"

    client.post("/accounts/feed-token/revoke/")
    assert feed_reader.get(feed_url).status_code == 404
    html = client.get("/saved/").content.decode()
    new_url = re.search(r'href="(/s/cyber001/feed/\?token=[^"]+)"', html).group(1)
    assert new_url != feed_url and feed_reader.get(new_url).status_code == 200
    client.post("/accounts/feed-token/revoke/")  # and again: the second address ends too
    assert feed_reader.get(new_url).status_code == 404


def test_an_editors_token_never_shows_hidden_articles(client, seeded):
    editor = User.objects.create_user("eddie", password=PASSWORD, is_staff=True)
    client.force_login(editor)
    article = seeded["000"]
    article.status = "hidden"
    article.save()
    assert client.get(f"/api/articles/{article.pk}").status_code == 200, "staff see it"
    html = client.post("/accounts/tokens/new/", {"name": "script"}).content.decode()
    token = re.search(r'id="new-token">(nrt_[\w-]+)<', html).group(1)
    script = type(client)()
    response = script.get(
        f"/api/articles/{article.pk}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 404


def test_parallel_wrong_passwords_get_no_more_than_the_accounts_five_tries(serve, data_dir_copy):
    """Sixteen guesses sent at once to a real server (2 workers x 8 threads): a password check
    takes ~0.3 s, so checking the count and counting must be one step, or all would pass."""
    from tests.servers import manage  # a plugin here: pytest imports it first

    manage(
        data_dir_copy,
        "shell",
        "-c",
        f"from django.contrib.auth.models import User; User.objects.create_user('rita', None, "
        f"'{PASSWORD}')",
    )
    server = serve(data_dir_copy)
    _, headers, body = server.get("/accounts/login/")
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def sign_in_over_http(password: str) -> int:
        form = urlencode({"csrfmiddlewaretoken": token, "username": "rita", "password": password})
        status, _, _ = server.request(
            "POST",
            "/accounts/login/",
            body=form.encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
            },
        )
        return status

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(sign_in_over_http, [f"guess {n}" for n in range(16)]))
    assert statuses.count(200) <= 5, statuses  # 200: the form again, "wrong password"
    assert set(statuses) <= {200, 429} and statuses.count(429) >= 11
    assert sign_in_over_http(PASSWORD) == 429, "even the right password waits now"


def test_on_postgresql_attempts_are_counted_under_locks_and_a_good_password_takes_back(request):
    from search.accounts.login_throttle import (
        LoginThrottled,
        claim_login_attempt,
        forget_login_failures,
    )
    from tests.postgres import use_postgres

    use_postgres(request)
    for _ in range(4):
        claim_login_attempt(username="rita", client="client-a")
    forget_login_failures(username="rita")  # a good password after four wrong ones
    for _ in range(5):
        claim_login_attempt(username="rita", client="client-a")
    with pytest.raises(LoginThrottled):
        claim_login_attempt(username="rita", client="client-b")
    assert LoginFailure.objects.count() == 5
