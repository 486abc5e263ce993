"""A local S3-compatible object store for tests: moto in server mode on 127.0.0.1 and a free
port, one per test process, stopped when the session ends; each test gets a bucket of its own.

`s3_server` is the session fixture (skipped with a clear message if moto is missing; a failure
under FUND_REQUIRE_ALL=1). `s3_settings(server, bucket)` are the settings pointing an app at it.
"""

from __future__ import annotations

import secrets
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.conftest import skip_or_fail

ACCESS_KEY, SECRET_KEY, REGION = "testing-key", "testing-secret", "us-east-1"


@dataclass
class S3Server:
    """Where the store listens, and a boto3 client to look inside it."""

    endpoint: str
    client: object

    def new_bucket(self) -> str:
        """A bucket no other test uses."""
        name = f"fund-{secrets.token_hex(6)}"
        self.client.create_bucket(Bucket=name)
        return name

    def keys(self, bucket: str) -> list[str]:
        reply = self.client.list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in reply.get("Contents", []))


def s3_settings(server: S3Server, bucket: str, prefix: str = "uploads") -> dict[str, str]:
    """The app settings that keep uploads in `bucket` under `prefix`."""
    return {
        "STORAGE_URL": f"s3://{bucket}/{prefix}",
        "S3_ENDPOINT_URL": server.endpoint,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """moto's S3 server for this test process."""
    try:
        import boto3
        from moto.server import ThreadedMotoServer
    except ImportError:
        skip_or_fail("moto is not installed (pip install -r requirements-dev.txt)")
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        deadline = time.monotonic() + 10
        while True:  # started in a thread: wait until it answers
            try:
                client.list_buckets()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield S3Server(endpoint, client)
    finally:
        server.stop()
