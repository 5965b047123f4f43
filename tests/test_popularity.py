"""Guide views and "Was this helpful?" answers, in a real SQLite file shared by two handles."""

from __future__ import annotations

import threading

from kb.analytics.popularity import Feedback, Popularity, Viewed
from kb.store.database import Database


def test_views_are_counted_and_ranked(tmp_path):
    pop = Popularity(Database(tmp_path / "kb.sqlite3"))
    for slug in ["a", "b", "b", "c", "c", "c"]:
        pop.record_view(slug)
    assert pop.most_viewed(2) == [Viewed("c", 3), Viewed("b", 2)]
    assert pop.views("a") == 1 and pop.views("unknown") == 0
    assert pop.most_viewed(0) == []


def test_ties_go_to_the_most_recently_viewed(tmp_path):
    pop = Popularity(Database(tmp_path / "kb.sqlite3"))
    pop.record_view("old")
    pop.record_view("new")
    assert [v.slug for v in pop.most_viewed()] == ["new", "old"]


def test_feedback_is_counted_per_guide(tmp_path):
    pop = Popularity(Database(tmp_path / "kb.sqlite3"))
    assert pop.feedback("a") == Feedback(0, 0)
    pop.record_feedback("a", True)
    pop.record_feedback("a", True)
    pop.record_feedback("a", False)
    pop.record_feedback("b", False)
    assert pop.feedback("a") == Feedback(helpful=2, not_helpful=1)
    assert pop.feedback("a").total == 3
    assert pop.feedback("b") == Feedback(helpful=0, not_helpful=1)


def test_counts_survive_and_are_shared_between_database_handles(tmp_path):
    path = tmp_path / "kb.sqlite3"
    first, second = Popularity(Database(path)), Popularity(Database(path))

    def view_many(pop: Popularity) -> None:
        for _ in range(50):
            pop.record_view("shared")

    threads = [threading.Thread(target=view_many, args=(p,)) for p in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Popularity(Database(path)).views("shared") == 100


def test_buffered_views_are_written_at_most_once_per_interval(tmp_path):
    path = tmp_path / "kb.sqlite3"
    buffered = Popularity(Database(path), flush_seconds=3600)
    other = Popularity(Database(path))
    for slug in ("a", "a", "b"):
        buffered.record_view(slug)
    assert other.views("a") == 0 and other.views("b") == 0  # still in memory
    assert buffered.most_viewed() == [Viewed("a", 2), Viewed("b", 1)]  # reading flushes
    assert other.views("a") == 2 and other.views("b") == 1
