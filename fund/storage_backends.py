"""Where the bytes of uploads live: a folder on this server's disk (the default), or an
S3-compatible object store that several app servers share (`STORAGE_URL=s3://bucket/prefix`).

Both backends take a seekable stream and give a stored file back in 64 KB pieces, so no file is
ever held in memory whole, and both turn every failure of the store into StorageUnavailable (the
page then asks for the file again). Neither knows about rows or permissions: fund/storage.py
checks uploads and keeps their StoredFile rows; views check permission before sending a file.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
import threading
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO, Protocol
from urllib.parse import urlsplit

from flask import current_app

CHUNK = 64 * 1024
_clients_lock = threading.Lock()


class StorageUnavailable(Exception):
    """The store could not take or give a file (unwritable, full, missing, unreachable); nothing
    of the file was kept. Callers save the rest of what the user sent and say the file must be
    sent again."""


class Pieces:
    """The bytes of an open source, piece by piece. The source is closed when the pieces run
    out, when reading fails, or on close(), whether or not it was read at all (Werkzeug closes
    a response's body after sending it, and also after a HEAD request that reads nothing)."""

    def __init__(self, pieces: Iterator[bytes], close, errors: tuple = (), logger=None) -> None:
        # The logger is passed in: the pieces are read while the response is sent, after the
        # app context has gone.
        self._pieces, self._close, self._errors, self._logger = pieces, close, errors, logger
        self._closed = False

    def __iter__(self) -> Pieces:
        return self

    def __next__(self) -> bytes:
        if self._closed:
            raise StopIteration
        try:
            return next(self._pieces)
        except StopIteration:
            self.close()
            raise
        except self._errors as error:
            # The response has started: the client sees a short body (Content-Length says so).
            self._logger.error("reading a stored file failed midway: %s", error)
            self.close()
            raise StopIteration from error

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._close()


@dataclass
class Opened:
    """A stored file being read: its size, and its bytes in pieces."""

    size: int
    chunks: Pieces


class Backend(Protocol):
    """What fund/storage.py asks of a store."""

    def put(self, stream: BinaryIO) -> tuple[str, str]: ...
    def open(self, name: str) -> Opened | None: ...
    def delete(self, name: str) -> None: ...
    def probe(self) -> bool: ...


def check_settings(config: Any) -> None:
    """Refuse to start with a STORAGE_URL that names no backend (a typo would otherwise show
    only at the first upload)."""
    url = config.get("STORAGE_URL") or ""
    if url and not (url.startswith("s3://") and urlsplit(url).netloc):
        raise RuntimeError(
            f"STORAGE_URL must be empty (the folder UPLOAD_FOLDER) or s3://bucket/prefix, "
            f"not {url!r}"
        )


def backend_for(config: Any) -> Backend:
    """The backend the settings name; read on each use, so a changed setting takes effect."""
    check_settings(config)
    url = config.get("STORAGE_URL") or ""
    if not url:
        return LocalFolder(Path(config["UPLOAD_FOLDER"]))
    parts = urlsplit(url)
    try:
        client = _s3_client(config)
    except Exception as error:  # a bad endpoint or region: the store cannot be reached
        raise StorageUnavailable(f"S3 client: {error}") from error
    return S3Store(client, parts.netloc, parts.path.strip("/"))


# --- the local folder -------------------------------------------------------------------------


class LocalFolder:
    """Files in one folder of mode 0700, each of mode 0600 under a random name."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def root(self) -> Path:
        """The folder, created with mode 0700 (and narrowed to it) if need be."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if stat.S_IMODE(self.folder.stat().st_mode) & 0o077:
            try:
                os.chmod(self.folder, 0o700)
            except PermissionError:  # someone else's folder: still usable, and not ours to change
                current_app.logger.warning("upload folder %s is open to others", self.folder)
        return self.folder

    def put(self, stream: BinaryIO) -> tuple[str, str]:
        """Copy `stream` in under a new random name; (name, SHA-256).

        The file is created with mode 0600 under a temporary name and renamed only once
        complete, so a failed write (full disk, unwritable folder) leaves nothing behind and
        never a half-written file under a name a row could point at.
        """
        storage_name = secrets.token_hex(16)
        digest = hashlib.sha256()
        partial: Path | None = None
        descriptor: int | None = None
        try:
            root = self.root()
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            descriptor = os.open(root / f".partial-{storage_name}", flags, 0o600)
            partial = root / f".partial-{storage_name}"  # ours to remove from here on
            stream.seek(0)
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                _write_all(descriptor, chunk)
            os.fsync(descriptor)  # some file systems report a full disk only here
            os.close(descriptor)
            descriptor = None
            os.replace(partial, root / storage_name)
        except BaseException as error:
            if descriptor is not None:
                with suppress(OSError):
                    os.close(descriptor)
            if partial is not None:
                with suppress(OSError):
                    os.unlink(partial)
            if isinstance(error, OSError):
                current_app.logger.error("upload could not be stored: %s", error)
                raise StorageUnavailable(str(error)) from error
            raise
        return storage_name, digest.hexdigest()

    def open(self, name: str) -> Opened | None:
        """The file `name` to read, or None when it is not there."""
        path = self.folder / name
        try:
            source = path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        except OSError as error:
            raise StorageUnavailable(str(error)) from error
        pieces = iter(partial(source.read, CHUNK), b"")
        return Opened(os.fstat(source.fileno()).st_size, Pieces(pieces, source.close))

    def delete(self, name: str) -> None:
        """Remove the file `name`, if it is still there."""
        with suppress(FileNotFoundError):  # already gone is fine
            os.unlink(self.folder / name)

    def probe(self) -> bool:
        """Whether a small file can be written now (then removed again)."""
        try:
            name, _digest = self.put(BytesIO(b"probe"))
            os.unlink(self.folder / name)
        except (StorageUnavailable, OSError):
            return False
        return True


def _write_all(descriptor: int, data: bytes) -> None:
    """os.write may write less than it was given; write until all of it is written."""
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


# --- an S3-compatible object store ------------------------------------------------------------


def _s3_client(config: Any):
    """One boto3 client per app and settings (clients are thread-safe; making one is slow)."""
    import boto3
    from botocore.config import Config as BotoConfig

    settings = (
        config.get("S3_ENDPOINT_URL") or None,
        config.get("S3_REGION") or None,
        config.get("S3_ACCESS_KEY_ID") or None,
        config.get("S3_SECRET_ACCESS_KEY") or None,
    )
    clients = current_app.extensions.setdefault("fund_s3_clients", {})
    with _clients_lock:
        if settings not in clients:
            endpoint, region, key_id, secret = settings
            clients[settings] = boto3.session.Session().client(
                "s3",
                endpoint_url=endpoint,
                region_name=region,
                aws_access_key_id=key_id,  # None: boto3's own chain (an instance role, ...)
                aws_secret_access_key=secret,
                config=BotoConfig(
                    # Other S3-compatible stores (MinIO, Ceph, ...) expect bucket-in-path
                    # addresses and checksums only where S3 itself requires them.
                    s3={"addressing_style": "path" if endpoint else "auto"},
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required",
                    connect_timeout=5,
                    read_timeout=30,
                    retries={"max_attempts": 2, "mode": "standard"},
                ),
            )
        return clients[settings]


class S3Store:
    """Objects `prefix/name` in one bucket; never public, read only through the app."""

    def __init__(self, client, bucket: str, prefix: str) -> None:
        self.client, self.bucket = client, bucket
        self.prefix = f"{prefix}/" if prefix else ""

    def _errors(self):
        """What a failing store raises: boto3's errors, and the network's."""
        from botocore.exceptions import BotoCoreError, ClientError

        return (BotoCoreError, ClientError, OSError)

    def put(self, stream: BinaryIO) -> tuple[str, str]:
        """Send `stream` under a new random name, read from the stream (spooled to disk by
        Werkzeug) in pieces; (name, SHA-256)."""
        from boto3.s3.transfer import TransferConfig

        storage_name = secrets.token_hex(16)
        digest = hashlib.sha256()
        stream.seek(0)
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
        stream.seek(0)
        try:
            self.client.upload_fileobj(
                stream,
                self.bucket,
                self.prefix + storage_name,
                Config=TransferConfig(use_threads=False),  # one request's work, in its thread
            )
        except self._errors() as error:
            current_app.logger.error("upload could not be stored in S3: %s", error)
            raise StorageUnavailable(str(error)) from error
        return storage_name, digest.hexdigest()

    def open(self, name: str) -> Opened | None:
        """The object `name` to read, or None when the bucket does not hold it."""
        from botocore.exceptions import ClientError

        try:
            reply = self.client.get_object(Bucket=self.bucket, Key=self.prefix + name)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise StorageUnavailable(str(error)) from error
        except self._errors() as error:
            raise StorageUnavailable(str(error)) from error
        body = reply["Body"]
        pieces = body.iter_chunks(CHUNK)
        chunks = Pieces(pieces, body.close, self._errors(), current_app.logger)
        return Opened(int(reply["ContentLength"]), chunks)

    def delete(self, name: str) -> None:
        """Remove the object `name`; a failure is logged (the rows naming it are gone)."""
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self.prefix + name)
        except self._errors() as error:
            # Called after the commit: the rows are gone, so the object is only an orphan.
            current_app.logger.error("stored file %s could not be deleted: %s", name, error)

    def probe(self) -> bool:
        """Whether a small object can be written now (then removed again)."""
        key = f"{self.prefix}.probe-{secrets.token_hex(8)}"
        try:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=b"probe")
            self.client.delete_object(Bucket=self.bucket, Key=key)
        except self._errors():
            current_app.logger.exception("health check: the S3 store cannot be written")
            return False
        return True
