# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared rate limiter: a token bucket in a file, on a fake clock."""

from __future__ import annotations

import os

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._ratelimit import SharedRateLimiter, parse_ratelimit


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
