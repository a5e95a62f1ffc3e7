"""Work taken from worker processes as it finishes, a bounded number under way."""

from __future__ import annotations

import time
from pathlib import Path

from defcoop.bulk.worker_pool import as_done, in_order


def _last_lets_first_go(job: tuple[int, Path, int]) -> int:
    """Job 0 waits for the last job to have run; the others finish at once."""
    number, flag, last = job
    if number == last:
        flag.touch()
    while number == 0 and not flag.exists():
        time.sleep(0.01)
    return number


def test_a_long_first_job_does_not_hold_back_the_others(tmp_path: Path) -> None:
    flag = tmp_path / "last-ran"
    jobs = [(n, flag, 9) for n in range(10)]
    finished = list(as_done(_last_lets_first_go, iter(jobs), workers=2))
    # job 0 cannot finish before job 9 has run: every other job came out before it
    assert sorted(finished) == list(range(10))
    assert finished.index(0) >= 8
    assert [n for n in finished if n] == list(range(1, 10))


def test_in_order_and_one_worker_keep_the_jobs_order(tmp_path: Path) -> None:
    flag = tmp_path / "last-ran"
    jobs = [(n, flag, 3) for n in range(4)]
    assert list(in_order(_last_lets_first_go, iter(jobs[1:]), workers=2)) == [1, 2, 3]
    flag.unlink()
    # in this process, one at a time: job 0 would wait forever, so it goes last here
    here = as_done(_last_lets_first_go, iter(jobs[1:] + jobs[:1]), workers=1)
    assert list(here) == [1, 2, 3, 0]
