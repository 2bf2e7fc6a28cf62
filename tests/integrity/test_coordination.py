"""Coordination networks give the Coordination Network Toolkit 1.5.2's answers.

The expected files under expected/ were exported by the toolkit itself (see
expected/make_expected.py); the toolkit is not a dependency, its answers are committed.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from ediplomacy.integrity.coordination import (
    Message,
    Network,
    compute,
    compute_file,
    normalise_text,
    read_cnt_csv,
    read_cnt_rows,
    split_urls,
)

EXPECTED = Path(__file__).parent / "expected"
INPUT = EXPECTED / "cnt_input.csv"
TOOLKIT_NAMES = {
    "co_retweet": Network.CO_REPOST,
    "co_tweet": Network.CO_TWEET,
    "co_link": Network.CO_LINK,
    "co_reply": Network.CO_REPLY,
}


@pytest.fixture
def fixture_csv(shared_data: Path) -> Path:
    """The toolkit's own 15-row co-retweet fixture (copied into the shared data)."""
    return shared_data / "coordination/cnt_fixtures/tests/data/coretweet_test_input.csv"


def _expected(path: Path) -> list[tuple[str, str, int]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["user_1", "user_2", "weight"]
    return sorted((a, b, int(w)) for a, b, w in rows[1:])


def _cases() -> list[Path]:
    return sorted(EXPECTED.glob("co_*_w*_m*.csv"))


def test_the_expected_files_are_there() -> None:
    assert len(_cases()) == 25


@pytest.mark.parametrize("path", _cases(), ids=lambda p: p.stem)
def test_same_edges_as_the_toolkit(path: Path) -> None:
    name, _, rest = path.stem.partition("_w")
    urls_only = name.endswith("_urls_only")
    network = TOOLKIT_NAMES[name.removesuffix("_urls_only")]
    window, min_weight = (int(part) for part in rest.split("_m"))
    # The toolkit's co-link quirk (empty urls field -> URL '') is matched in compat mode; the
    # default mode matches the toolkit run on the same posts with the empty URLs taken out.
    compat = network is Network.CO_LINK and not urls_only
    reading = read_cnt_csv(INPUT, compat=compat)
    assert reading.problems == []
    edges = compute(reading.messages, network, window=window, min_weight=min_weight)
    assert sorted(edges.rows()) == _expected(path)
    assert list(edges.rows()) == sorted(edges.rows())
    # The column-wise (Arrow) reader gives the same rows, in the same order.
    fast, problems, posts = compute_file(
        INPUT, network, window=window, min_weight=min_weight, compat=compat
    )
    assert (problems, posts) == ([], 400)
    assert list(fast.rows()) == list(edges.rows())


@pytest.mark.parametrize("network", list(Network))
@pytest.mark.parametrize("loops", [False, True])
def test_both_readers_agree_on_every_network(network: Network, loops: bool) -> None:
    for compat in (False, True):
        slow = compute(
            read_cnt_csv(INPUT, compat=compat).messages,
            network,
            window=30,
            self_loops=loops,
            compat=compat,
        )
        fast, _, _ = compute_file(INPUT, network, window=30, self_loops=loops, compat=compat)
        assert list(fast.rows()) == list(slow.rows())
        assert len(fast) > 0 or network is Network.CO_SIMILAR  # its texts are too short


def test_well_formed_files_take_the_column_wise_path(tmp_path: Path) -> None:
    from ediplomacy.integrity.coordination_arrow import read_columns

    assert read_columns(INPUT, Network.CO_REPOST) is not None
    odd = tmp_path / "odd.csv"
    odd.write_text(INPUT.read_text(encoding="utf-8") + "9,a,a,,,x,1_000,\n", encoding="utf-8")
    assert read_columns(odd, Network.CO_REPOST) is None  # float() reads 1_000
    assert compute_file(odd, Network.CO_REPOST, window=5)[2] == 401


def test_duplicate_message_id_counts_once_per_account(tmp_path: Path) -> None:
    """Checked against the toolkit: a message id repeated with other URLs is one message."""
    source = tmp_path / "dup.csv"
    source.write_text(
        "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"
        "1,a,a,,,x,0,http://a\n1,a,a,,,x,5,http://b\n2,b,b,,,y,10,http://a http://b\n",
        encoding="utf-8",
    )
    expected = [("a", "b", 1), ("b", "a", 1)]
    assert list(compute(read_cnt_csv(source).messages, Network.CO_LINK, window=60).rows()) == (
        expected
    )
    assert list(compute_file(source, Network.CO_LINK, window=60)[0].rows()) == expected


def test_the_quirk_is_real_and_off_by_default() -> None:
    default = compute(read_cnt_csv(INPUT).messages, Network.CO_LINK, window=60)
    compat = compute(read_cnt_csv(INPUT, compat=True).messages, Network.CO_LINK, window=60)
    assert len(compat) > len(default)


def test_directions_differ_and_min_weight_applies_per_direction(fixture_csv: Path) -> None:
    edges = compute(read_cnt_csv(fixture_csv).messages, Network.CO_REPOST, window=60)
    weights = {(a, b): w for a, b, w in edges.rows()}
    assert weights[("uid0", "uid1")] == 2
    assert weights[("uid1", "uid0")] == 1
    strict = compute(read_cnt_csv(fixture_csv).messages, Network.CO_REPOST, window=60, min_weight=2)
    pairs = {(a, b) for a, b, _ in strict.rows()}
    assert ("uid0", "uid1") in pairs and ("uid1", "uid0") not in pairs


@pytest.mark.parametrize(
    ("window", "min_weight", "loops", "nodes"),
    [
        (1, 1, False, 2),
        (1, 1, True, 3),
        (1, 2, False, 0),
        (1, 2, True, 1),
        (60, 1, False, 6),
        (60, 1, True, 7),
    ],
)
def test_toolkit_fixture_node_counts(
    fixture_csv: Path, window: int, min_weight: int, loops: bool, nodes: int
) -> None:
    reading = read_cnt_csv(fixture_csv)
    assert len(reading.messages) == 15
    edges = compute(
        reading.messages, Network.CO_REPOST, window=window, min_weight=min_weight, self_loops=loops
    )
    assert len(edges.nodes()) == nodes


def test_compat_self_loops_are_toolkit_1_5_2s(fixture_csv: Path) -> None:
    """1.5.2 lets every message meet itself: every account that reposted has a loop."""
    messages = read_cnt_csv(fixture_csv).messages
    edges = compute(messages, Network.CO_REPOST, window=60, self_loops=True, compat=True)
    loops = {a: w for a, b, w in edges.rows() if a == b}
    assert loops == {"uid0": 2, "uid1": 1, "uid10": 2, "uid11": 1, "uid12": 1, "uid2": 2,
                     "uid3": 2, "uid4": 2, "uid5": 2}  # fmt: skip


def test_window_ends_are_included() -> None:
    def post(mid: str, user: str, stamp: float) -> Message:
        return Message(mid, user, user, "rt1", "", "", stamp)

    messages = [post("1", "a", 100), post("2", "b", 110), post("3", "c", 110.5)]
    edges = compute(messages, Network.CO_REPOST, window=10)
    assert sorted(edges.rows()) == [("a", "b", 1), ("b", "a", 1), ("b", "c", 1), ("c", "b", 1)]


def test_text_and_url_rules() -> None:
    assert normalise_text("@someone Vote   NOW @x") == "vote now"
    assert split_urls("") == ()
    assert split_urls("", compat=True) == ("",)
    assert split_urls("a  b", compat=True) == ("a", "", "b")
    assert split_urls("a  b") == ("a", "b")


def test_co_hashtag_from_text_and_given_tags() -> None:
    messages = [
        Message("1", "a", "a", "", "", "Support #Peace now", 0),
        Message("2", "b", "b", "", "", "#peace!", 30),
        Message("3", "c", "c", "", "", "no tags", 31, hashtags=("PEACE",)),
        Message("4", "d", "d", "x", "", "#peace (a repost: ignored)", 31),
    ]
    edges = compute(messages, Network.CO_HASHTAG, window=60)
    assert {(a, b) for a, b, _ in edges.rows()} == {
        ("a", "b"), ("b", "a"), ("a", "c"), ("c", "a"), ("b", "c"), ("c", "b")
    }  # fmt: skip


def test_malformed_rows_are_reported_with_line_and_skipped(tmp_path: Path) -> None:
    text = (
        "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n"
        "1,a,a,rt,,hi,10,\n"
        "2,b,b,rt,,too few,11\n"
        '3,c,c,rt,,"multi\nline",twelve,\n'
        "4,d,d,rt,,hi,13,\n"
    )
    source = tmp_path / "posts.csv"
    source.write_text(text, encoding="utf-8")
    reading = read_cnt_csv(source)
    assert [m.message_id for m in reading.messages] == ["1", "4"]
    assert [str(p) for p in reading.problems] == [
        f"{source}:3: expected 8 columns (message_id, user_id, username, repost_id, reply_id, "
        "message, timestamp, urls), found 7",
        f"{source}:5: timestamp 'twelve' is not a number",
    ]
    again = read_cnt_rows(io.StringIO(text), "stdin")
    assert len(again.messages) == 2
    edges, problems, posts = compute_file(source, Network.CO_REPOST, window=60)
    assert (len(problems), posts) == (2, 2)
    assert list(edges.rows()) == [("a", "d", 1), ("d", "a", 1)]


def test_bad_arguments() -> None:
    from ediplomacy.domain.errors import EdiplomacyError

    with pytest.raises(EdiplomacyError):
        compute([], Network.CO_REPOST, window=-1)
    with pytest.raises(EdiplomacyError):
        compute([], Network.CO_REPOST, window=1, min_weight=0)
    assert len(compute([], Network.CO_REPOST, window=1)) == 0
