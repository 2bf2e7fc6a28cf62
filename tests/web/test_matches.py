"""The claim-match review queue: /verify/matches, the review POST (htmx and plain), the API,
and the matches shown on the post page and on a fact-check's page."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from ediplomacy.domain.people import Role
from ediplomacy.integrity import claim_queue, factcheck
from ediplomacy.security import accounts, audit
from ediplomacy.store import claim_matches as claim_store
from tests.web.conftest import NOW, Rows


@dataclass
class Queue:
    ferry: int  # fact-check ids
    quake: int
    strong: int  # match ids: pending 0.93, pending 0.71, confirmed 0.88
    weak: int
    confirmed: int
    posts: list[int]


def add_fact(engine: Engine, **form: str) -> int:
    return factcheck.save(engine, factcheck.record_from_form(form), actor="seed").id


def add_match(engine: Engine, post_id: int, fact_id: int, score: float, cosine: float) -> int:
    row = {"fact_check_id": fact_id, "score": score, "similarity": cosine, "rank": 1,
           "model": "claim-ranker", "model_version": "test", "matched_at": NOW}  # fmt: skip
    with engine.begin() as connection:
        claim_store.replace_matches(connection, post_id, [row])
        return claim_store.list_matches(connection, post_id=post_id)[0][0].id


def seed(engine: Engine, rows: Rows) -> Queue:
    ferry = add_fact(engine, claim_text="The Sagara Jaya ferry was sold to a foreign navy",
                     verdict_text="Hoaks", url="https://cek.example/ferry")  # fmt: skip
    quake = add_fact(engine, claim_text="A magnitude 9 earthquake will hit Jakarta tomorrow",
                     verdict="false")  # fmt: skip
    collection = rows.collection()
    rows.actor(external_id="author-a", handle="kabar_kilat")
    posts = [
        rows.post(collection, author_external_id="author-a", author_handle="kabar_kilat",
                  language="id", text="Kapal Sagara Jaya dijual ke angkatan laut asing!"),
        rows.post(collection, text="They sold the Sagara Jaya ferry to a foreign navy"),
        rows.post(collection, text="Earthquake of magnitude 9 in Jakarta tomorrow, share"),
    ]  # fmt: skip
    strong = add_match(engine, posts[0], ferry, 0.93, 0.81)
    weak = add_match(engine, posts[1], ferry, 0.71, 0.64)
    confirmed = add_match(engine, posts[2], quake, 0.88, 0.77)
    with engine.begin() as connection:
        claim_store.review(connection, confirmed, status="confirmed", by="seed", at=NOW,
                           note=None)  # fmt: skip
    return Queue(ferry, quake, strong, weak, confirmed, posts)


def row_ids(html: str) -> list[int]:
    return [
        int(found) for found in re.findall(r'data-testid="match-row" data-match-id="(\d+)"', html)
    ]


def test_queue_ranks_pending_matches_with_their_evidence(
    client: TestClient, engine: Engine, rows: Rows, signed_in: Callable[[Role], str]
) -> None:
    q = seed(engine, rows)
    signed_in(Role.ANALYST)
    page = client.get("/verify/matches")
    assert page.status_code == 200
    html = page.text
    assert row_ids(html) == [q.strong, q.weak]  # pending only, most probable first
    assert 'data-testid="match-count-pending">2<' in html
    assert 'data-testid="match-count-confirmed">1<' in html
    assert 'data-testid="match-count-all">3<' in html
    assert ">93%<" in html and "cosine 0.81" in html
    assert "@kabar_kilat" in html and "Indonesian" in html
    assert f'href="/listen/posts/{q.posts[0]}"' in html
    assert f'href="/verify/facts/{q.ferry}"' in html
    assert 'href="https://cek.example/ferry"' in html
    assert 'data-verdict="false"' in html and "Sagara Jaya ferry was sold" in html
    assert html.count('data-testid="match-confirm"') == 2  # analysts review
    confirmed = client.get("/verify/matches", params={"status": "confirmed"}).text
    assert row_ids(confirmed) == [q.confirmed] and 'data-testid="match-reopen"' in confirmed
    assert row_ids(client.get("/verify/matches", params={"status": "all"}).text) == [
        q.strong, q.confirmed, q.weak
    ]  # fmt: skip
    assert row_ids(client.get("/verify/matches", params={"min": "80"}).text) == [q.strong]
    of_quake = client.get("/verify/matches", params={"status": "all", "fact_check": q.quake})
    assert row_ids(of_quake.text) == [q.confirmed]
    assert 'data-testid="matches-fact-check"' in of_quake.text
    assert 'data-testid="match-count-pending">0<' in of_quake.text  # counts of that fact-check
    # Nonsense in the filters is ignored, not an error.
    assert row_ids(client.get("/verify/matches?status=x&min=abc&fact_check=").text) == [
        q.strong, q.weak
    ]  # fmt: skip


def test_confirm_from_the_page_is_kept_and_audited(
    client: TestClient, engine: Engine, rows: Rows, signed_in: Callable[[Role], str]
) -> None:
    q = seed(engine, rows)
    token = signed_in(Role.ANALYST)
    done = client.post(
        f"/verify/matches/{q.strong}/review",
        data={"csrf_token": token, "status": "confirmed", "note": "same hoax, translated",
              "next": "/verify/matches?status=pending"},
    )  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/verify/matches?status=pending"
    match = claim_queue.get(engine, q.strong)
    assert (match.status, match.reviewed_by, match.note) == (
        "confirmed", "user-analyst", "same hoax, translated"
    )  # fmt: skip
    [entry], _ = audit.recent_entries(engine, action_prefix="claim_match.")
    assert (entry.actor, entry.target) == ("user-analyst", str(q.strong))
    assert entry.detail["from"] == "pending" and entry.detail["to"] == "confirmed"
    after = client.get("/verify/matches").text
    assert row_ids(after) == [q.weak] and f"Match {q.strong} confirmed." in after


def test_htmx_review_swaps_the_row(
    client: TestClient, engine: Engine, rows: Rows, signed_in: Callable[[Role], str]
) -> None:
    q = seed(engine, rows)
    token = signed_in(Role.ADMIN)
    swapped = client.post(
        f"/verify/matches/{q.weak}/review",
        data={"csrf_token": token, "status": "rejected", "next": "/verify/matches"},
        headers={"HX-Request": "true"},
    )
    assert swapped.status_code == 200
    fragment = swapped.text
    assert fragment.lstrip().startswith(f'<tr id="match-{q.weak}"')
    assert 'data-status="rejected"' in fragment and 'data-testid="match-reopen"' in fragment
    assert "<html" not in fragment and "by user-admin" in fragment
    reopened = client.post(
        f"/verify/matches/{q.weak}/review",
        data={"csrf_token": token, "status": "pending"},
        headers={"HX-Request": "true"},
    )
    assert 'data-status="pending"' in reopened.text
    match = claim_queue.get(engine, q.weak)
    assert (match.status, match.reviewed_by, match.reviewed_at) == ("pending", None, None)


def test_review_needs_the_token_the_role_and_a_session(
    client: TestClient, engine: Engine, rows: Rows, signed_in: Callable[[Role], str]
) -> None:
    q = seed(engine, rows)
    anonymous = client.get("/verify/matches")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    refused = client.post(f"/verify/matches/{q.strong}/review", data={"status": "confirmed"})
    assert refused.status_code == 303 and refused.headers["location"] == "/login"
    token = signed_in(Role.ANALYST)
    no_token = client.post(f"/verify/matches/{q.strong}/review", data={"status": "confirmed"})
    assert no_token.status_code == 403
    wrong = client.post(
        f"/verify/matches/{q.strong}/review", data={"csrf_token": token, "status": "maybe"}
    )
    assert wrong.status_code == 400
    missing = client.post(
        "/verify/matches/999999/review", data={"csrf_token": token, "status": "confirmed"}
    )
    assert missing.status_code == 404
    assert claim_queue.get(engine, q.strong).status == "pending"
    assert audit.recent_entries(engine, action_prefix="claim_match.")[1] == 0


def test_editors_read_the_queue_but_do_not_review(
    client: TestClient, engine: Engine, rows: Rows, signed_in: Callable[[Role], str]
) -> None:
    q = seed(engine, rows)
    token = signed_in(Role.EDITOR)
    page = client.get("/verify/matches").text
    assert row_ids(page) == [q.strong, q.weak]
    assert 'data-testid="match-review-form"' not in page
    refused = client.post(
        f"/verify/matches/{q.strong}/review", data={"csrf_token": token, "status": "rejected"}
    )
    assert refused.status_code == 403
    assert claim_queue.get(engine, q.strong).status == "pending"


def test_indonesian_queue_and_empty_state(
    client: TestClient,
    engine: Engine,
    rows: Rows,
    signed_in: Callable[[Role], str],
) -> None:
    signed_in(Role.ANALYST)
    empty = client.get("/verify/matches").text
    assert 'data-testid="matches-empty"' in empty and "ediplomacy claims match" in empty
    assert "ediplomacy factcheck import" in empty and "ediplomacy analyze" in empty
    seed(engine, rows)
    accounts.set_locale(engine, accounts.get_user(engine, "user-analyst").id, "id")
    page = client.get("/verify/matches").text
    assert '<html lang="id">' in page
    assert "Kecocokan klaim" in page and "Konfirmasi" in page and "Tolak" in page
    assert "Menunggu tinjauan" in page and "kosinus 0.81" in page


def test_api_lists_and_reviews(
    client: TestClient, engine: Engine, rows: Rows, signed_in: Callable[[Role], str]
) -> None:
    q = seed(engine, rows)
    assert client.get("/api/v1/claim-matches").status_code == 401
    token = signed_in(Role.ANALYST)
    listed = client.get("/api/v1/claim-matches", params={"status": "pending"}).json()
    assert [item["id"] for item in listed["items"]] == [q.strong, q.weak]
    assert listed["total"] == 2
    assert listed["counts"] == {"pending": 2, "confirmed": 1, "rejected": 0}
    first = listed["items"][0]
    assert first["score"] == 0.93 and first["author_handle"] == "kabar_kilat"
    assert first["claim_text"].startswith("The Sagara Jaya ferry") and first["verdict"] == "false"
    paged = client.get("/api/v1/claim-matches", params={"limit": 1, "offset": 1}).json()
    assert [item["id"] for item in paged["items"]] == [q.confirmed] and paged["total"] == 3
    of_post = client.get("/api/v1/claim-matches", params={"post_id": q.posts[1]}).json()
    assert [item["id"] for item in of_post["items"]] == [q.weak]
    assert client.get("/api/v1/claim-matches", params={"status": "x"}).status_code == 422
    url = f"/api/v1/claim-matches/{q.weak}/review"
    assert client.post(url, json={"status": "rejected"}).status_code == 403  # no token
    reviewed = client.post(
        url, json={"status": "rejected", "note": "satire"}, headers={"X-CSRF-Token": token}
    )
    assert reviewed.status_code == 200
    assert reviewed.json()["status"] == "rejected" and reviewed.json()["note"] == "satire"
    assert claim_queue.get(engine, q.weak).reviewed_by == "user-analyst"
    bad = client.post(url, json={"status": "gone"}, headers={"X-CSRF-Token": token})
    assert bad.status_code == 422
    assert (
        client.post(
            "/api/v1/claim-matches/999999/review",
            json={"status": "confirmed"},
            headers={"X-CSRF-Token": token},
        ).status_code
        == 404
    )


def test_post_and_fact_check_pages_show_the_matches(
    client: TestClient, engine: Engine, rows: Rows, signed_in: Callable[[Role], str]
) -> None:
    q = seed(engine, rows)
    with engine.begin() as connection:
        claim_store.review(connection, q.weak, status="rejected", by="seed", at=NOW, note=None)
    signed_in(Role.ANALYST)
    post = client.get(f"/listen/posts/{q.posts[0]}").text
    assert 'data-testid="post-claim-match"' in post and "Matches a fact-check" in post
    assert "Sagara Jaya ferry was sold" in post and "93%" in post and "False" in post
    assert f"/verify/matches?status=all&amp;fact_check={q.ferry}" in post
    rejected = client.get(f"/listen/posts/{q.posts[1]}").text  # a rejected match is not shown
    assert 'data-testid="post-claim-matches"' not in rejected
    fact = client.get(f"/verify/facts/{q.ferry}")
    assert fact.status_code == 200
    assert "1 waiting for review, 0 confirmed, 1 rejected." in fact.text
    assert f'href="/verify/matches?status=pending&amp;fact_check={q.ferry}"' in fact.text
    assert client.get("/verify/facts/999999").status_code == 404
    listing = client.get("/verify/facts").text
    assert f'href="/verify/facts/{q.ferry}"' in listing


def test_viewers_see_the_match_on_a_post_without_the_queue_link(
    client: TestClient, engine: Engine, rows: Rows, signed_in: Callable[[Role], str]
) -> None:
    q = seed(engine, rows)
    signed_in(Role.VIEWER)
    post = client.get(f"/listen/posts/{q.posts[0]}").text
    assert 'data-testid="post-claim-match"' in post
    assert 'data-testid="post-claim-queue"' not in post  # Verify is closed to viewers
    assert client.get("/verify/matches").status_code == 403
