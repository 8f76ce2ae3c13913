# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared rate limiter: a token bucket in a file, on a fake clock."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._ratelimit import (
    MAX_RESET, LimiterUnsafe, SharedRateLimiter, parse_ratelimit,
)


class FakeTime(object):
    def __init__(self):
        self.now = 1000.0

    def clock(self):
        return self.now

    def sleep(self, seconds):
        assert seconds > 0
        self.now += seconds


def limiter(path, limit=1200, window=300, fake=None):
    fake = fake or FakeTime()
    return SharedRateLimiter(limit, window, str(path), clock=fake.clock, sleep=fake.sleep), fake


def test_a_burst_of_a_tenth_of_the_limit_passes_at_once(tmp_path):
    bucket, fake = limiter(tmp_path / "b")
    for _request in range(120):
        bucket.acquire()
    assert fake.now == 1000.0
    bucket.acquire()  # the 121st waits for a token: (1200 - 120) / 300 = 3.6 tokens a second
    assert abs(fake.now - 1000.0 - 1 / 3.6) < 1e-6


def test_no_window_ever_sees_more_than_the_limit(tmp_path):
    bucket, fake = limiter(tmp_path / "b", limit=120, window=30)
    times = []
    for _request in range(600):
        bucket.acquire()
        times.append(fake.now)
    for i, start in enumerate(times):
        in_window = [t for t in times[i:] if t < start + 30]
        assert len(in_window) <= 120
    # and it is not slower than it must be: 600 requests take about (600 - 12) / 3.6 seconds
    assert times[-1] - times[0] < (600 - 12) / 3.6 + 1


def test_the_bucket_is_shared_through_its_file(tmp_path):
    fake = FakeTime()
    first = limiter(tmp_path / "b", fake=fake)[0]
    second = limiter(tmp_path / "b", fake=fake)[0]
    for _request in range(60):
        first.acquire()
        second.acquire()
    assert fake.now == 1000.0
    second.acquire()  # 120 taken between the two: the next one waits
    assert fake.now > 1000.0


def test_the_bucket_refills_over_time(tmp_path):
    bucket, fake = limiter(tmp_path / "b")
    for _request in range(120):
        bucket.acquire()
    fake.now += 100  # 360 tokens' worth, capped at 120
    for _request in range(120):
        bucket.acquire()
    assert fake.now == 1100.0
    assert bucket.waited == 0


def test_an_unreadable_file_starts_a_full_bucket(tmp_path):
    path = tmp_path / "b"
    path.write_text("not json")
    bucket, fake = limiter(path)
    bucket.acquire()
    assert fake.now == 1000.0


def test_for_credential_names_the_file_without_the_secret(tmp_path):
    bucket = SharedRateLimiter.for_credential(1200, 300, str(tmp_path / "tmp"), "secret-token-123", "https://api")
    name = os.path.basename(bucket.path)
    assert "secret" not in name and name.endswith(".ratelimit")
    assert oct(os.stat(str(tmp_path / "tmp")).st_mode & 0o777) == "0o700"
    other = SharedRateLimiter.for_credential(1200, 300, str(tmp_path / "tmp"), "another-token", "https://api")
    assert other.path != bucket.path


def test_zero_turns_it_off(tmp_path):
    assert SharedRateLimiter.for_credential(0, 300, str(tmp_path), "t", "u") is None


# -- pacing from Cloudflare's Ratelimit headers -----------------------------------------------------

def headers(remaining, reset, quota=1200, window=300):
    return {"Ratelimit": '"default";r=%d;t=%d' % (remaining, reset),
            "Ratelimit-Policy": '"default";q=%d;w=%d' % (quota, window)}


def test_parse_ratelimit():
    assert parse_ratelimit(headers(50, 30)) == (50, 30.0, 1200)
    assert parse_ratelimit({"Ratelimit": '"a";r=9;t=5, "b";r=3;t=60'}) == (3, 60.0, None)
    assert parse_ratelimit({}) is None and parse_ratelimit({"Ratelimit": "garbage"}) is None


def test_with_plenty_left_the_headers_change_nothing(tmp_path):
    bucket, fake = limiter(tmp_path / "b")
    bucket.learn(headers(1000, 200))
    for _request in range(100):
        bucket.acquire()
    assert fake.now == 1000.0


def test_when_what_is_left_falls_to_the_reserve_it_waits_for_the_reset(tmp_path):
    """Another controller spent the quota: this one must not spend the last requests."""
    bucket, fake = limiter(tmp_path / "b")
    bucket.learn(headers(70, 40))  # the reserve of a 1,200 quota is 60
    for _request in range(10):
        bucket.acquire()
    assert fake.now == 1000.0
    bucket.acquire()  # the 11th would leave 59: wait for the reset
    assert fake.now >= 1040.0


def test_two_hosts_that_share_a_token_learn_from_their_own_answers(tmp_path):
    fake = FakeTime()
    one = limiter(tmp_path / "one", fake=fake)[0]
    two = limiter(tmp_path / "two", fake=fake)[0]
    one.learn(headers(11, 20, quota=100, window=60))  # the other host's requests are counted by Cloudflare
    two.acquire()
    assert fake.now == 1000.0
    one.acquire()  # 11 left of 100, reserve 10: one more
    one.acquire()  # then wait
    assert fake.now >= 1020.0


# -- no answer can stall or crash a later task (issue: Ratelimit t=100000, nan, inf) ------------------

@pytest.mark.parametrize("ratelimit", [
    '"default";r=0;t=100000',
    '"default";r=0;t=1e300',
])
def test_an_absurd_reset_delays_the_next_request_by_at_most_the_window(tmp_path, ratelimit):
    bucket, fake = limiter(tmp_path / "b")
    bucket.learn({"Ratelimit": ratelimit, "Ratelimit-Policy": '"default";q=1200;w=300'})
    bucket.acquire()
    assert 1000.0 < fake.now <= 1000.0 + MAX_RESET + 1  # about 28 hours before


@pytest.mark.parametrize("ratelimit", [
    '"default";r=0;t=nan', '"default";r=0;t=inf', '"default";r=0;t=-inf', '"default";r=0;t=-5',
    '"default";r=-3;t=10', '"default";r=1e400;t=10', '"default";r=99999999999;t=10', '"default";r=nan;t=10',
])
def test_a_non_finite_or_negative_value_is_ignored(tmp_path, ratelimit):
    assert parse_ratelimit({"Ratelimit": ratelimit}) is None
    bucket, fake = limiter(tmp_path / "b")
    bucket.learn({"Ratelimit": ratelimit})
    bucket.acquire()
    bucket.acquire()  # a second run reads the file: no crash, no wait
    assert fake.now == 1000.0


def test_an_absurd_quota_is_ignored():
    assert parse_ratelimit({"Ratelimit": '"default";r=5;t=10', "Ratelimit-Policy": '"default";q=0;w=300'}) == (5, 10.0, None)
    assert parse_ratelimit({"Ratelimit": '"default";r=5;t=10', "Ratelimit-Policy": '"d";q=1e9;w=300'})[2] is None


@pytest.mark.parametrize("held", [
    {"tokens": "NaN", "at": 1000.0},
    {"tokens": 1e9, "at": 1000.0},
    {"tokens": 5, "at": 1e12},
    {"tokens": 5, "at": 1000.0, "server": {"remaining": 0, "reset_at": 1e12, "quota": 1200}},
    {"tokens": 5, "at": 1000.0, "server": {"remaining": 0, "reset_at": "Infinity", "quota": 1200}},
    {"tokens": 5, "at": 1000.0, "server": {"remaining": 0, "reset_at": float("nan"), "quota": 1200}},
    {"tokens": 5, "at": 1000.0, "server": {"remaining": 0, "reset_at": 1100.0, "quota": -1}},
    {"tokens": 5, "at": 1000.0, "server": "garbage"},
])
def test_what_the_shared_file_holds_is_checked_when_read(tmp_path, held):
    path = tmp_path / "b"
    path.write_text(json.dumps(held))  # NaN and Infinity as Python's json writes them
    os.chmod(str(path), 0o600)
    bucket, fake = limiter(path)
    bucket.acquire()
    assert fake.now <= 1000.0 + 1  # no stall of hours, no crash


def test_a_kept_reset_within_the_window_is_still_honoured(tmp_path):
    path = tmp_path / "b"
    path.write_text(json.dumps({"tokens": 5, "at": 1000.0, "server": {"remaining": 0, "reset_at": 1100.0, "quota": 1200}}))
    bucket, fake = limiter(path)
    bucket.acquire()
    assert 1100.0 <= fake.now <= 1101.0


# -- local files stay ours -------------------------------------------------------------------------

def test_a_symlinked_file_is_not_followed_and_the_limiter_turns_off_with_a_warning(tmp_path):
    target = tmp_path / "victim"
    target.write_text("precious")
    link = tmp_path / "b"
    link.symlink_to(target)
    warnings = []
    fake = FakeTime()
    bucket = SharedRateLimiter(1200, 300, str(link), clock=fake.clock, sleep=fake.sleep, warn=warnings.append)
    bucket.acquire()
    bucket.learn({"Ratelimit": '"default";r=0;t=100'})
    bucket.acquire()
    assert target.read_text() == "precious"
    assert len(warnings) == 1 and "limiter is off" in warnings[0]
    assert fake.now == 1000.0


def test_a_file_that_cannot_be_opened_turns_the_limiter_off_not_the_task(tmp_path):
    path = tmp_path / "b"
    path.mkdir()  # opening it for writing fails for every user, root included (EISDIR)
    warnings = []
    fake = FakeTime()
    bucket = SharedRateLimiter(1200, 300, str(path), clock=fake.clock, sleep=fake.sleep, warn=warnings.append)
    assert bucket.try_acquire() == 0.0
    bucket.acquire()
    assert len(warnings) == 1 and "limiter is off" in warnings[0]


def test_a_file_others_may_write_is_refused(tmp_path):
    path = tmp_path / "b"
    path.write_text("{}")
    os.chmod(str(path), 0o666)
    warnings = []
    bucket = SharedRateLimiter(1200, 300, str(path), warn=warnings.append)
    bucket.acquire()
    assert warnings and "limiter is off" in warnings[0]


def test_a_folder_others_may_write_is_refused(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(str(folder), 0o777)
    with pytest.raises(LimiterUnsafe) as info:
        SharedRateLimiter.for_credential(1200, 300, str(folder), "t", "u")
    assert "writable by other users" in str(info.value.strerror)
