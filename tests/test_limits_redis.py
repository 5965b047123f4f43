"""Rate limits shared through a real Redis: two app servers (two Flask apps standing for two
machines behind a load balancer) count one client's requests together, so a client cannot
double its allowance by landing on both. Starts Debian's `redis-server` on a free port in a
temporary folder; skipped, with the reason, where it is not installed."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from tests.browser_support import make_site
from tests.test_limits import CLIENT, OTHER, assert_limited, exhaust, per_minute
from webapp import create_app, limits

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed "
                                "(Debian package redis-server); CI installs it")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_redis(folder, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    port = free_port()
    server = start_redis(tmp_path_factory.mktemp("redis"), port)
    yield f"redis://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def servers(tmp_path, redis_url):
    # One site, so one secret: both servers hash a client's address to the same key.
    site = make_site(tmp_path).model_copy(update={"ratelimit_storage": redis_url})
    return [create_app(site, testing=True, rate_limits=True) for _ in range(2)]


def test_two_servers_share_one_clients_search_allowance(servers):
    first, second = (app.test_client() for app in servers)
    allowed = per_minute(limits.SEARCH)
    half = allowed // 2
    for client, count in ((first, half), (second, allowed - half)):
        for n in range(count):
            response = client.get("/api/v1/search?q=password", environ_base=CLIENT)
            assert response.status_code == 200, f"limited after {n} requests"
    # The allowance is used up across both servers: either one now refuses.
    assert_limited(first.get("/api/v1/search?q=password", environ_base=CLIENT))
    assert_limited(second.get("/api/v1/search?q=password", environ_base=CLIENT))
    # Another client is counted on its own.
    assert second.get("/api/v1/search?q=password", environ_base=OTHER).status_code == 200


def test_a_redis_that_goes_away_costs_the_sharing_not_the_searches(tmp_path):
    port = free_port()
    (tmp_path / "redis").mkdir()
    server = start_redis(tmp_path / "redis", port)
    site = make_site(tmp_path).model_copy(
        update={"ratelimit_storage": f"redis://127.0.0.1:{port}"})
    client = create_app(site, testing=True, rate_limits=True).test_client()
    search = lambda: client.get("/api/v1/search?q=password", environ_base=CLIENT)  # noqa: E731
    assert search().status_code == 200
    server.terminate()
    server.wait(timeout=10)
    # Searches are still answered, and still counted per client, in this process.
    assert_limited(exhaust(search, per_minute(limits.SEARCH)))
    assert client.get("/api/v1/search?q=password", environ_base=OTHER).status_code == 200
