"""Real servers for the tests: dynalite (a local DynamoDB API server) and a TCP proxy that
injects faults between a client and it.

dynalite comes from npm and is installed by `make test` (`npm ci`, see package.json); it runs
in memory, so every `Dynalite()` starts empty and leaves nothing behind."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, get_args

ROOT = Path(__file__).resolve().parents[1]
DYNALITE = ROOT / "node_modules" / ".bin" / "dynalite"

Mode = Literal[
    "pass", "refuse", "blackhole", "throttle", "slow", "drip", "reset", "garbage", "lose_reply"
]

_THROTTLE_BODY = (
    b'{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException",'
    b'"message":"Rate of requests exceeds the allowed throughput."}'
)
THROTTLE_RESPONSE = (
    b"HTTP/1.1 400 Bad Request\r\n"
    b"x-amzn-RequestId: FAULTPROXY0000000000000000000000000000000000000000000\r\n"
    b"x-amzn-ErrorType: ThrottlingException\r\n"
    b"Content-Type: application/x-amz-json-1.0\r\n"
    b"Content-Length: " + str(len(_THROTTLE_BODY)).encode() + b"\r\n"
    b"\r\n" + _THROTTLE_BODY
)
"""What DynamoDB answers when a request is throttled (a 400 with a ThrottlingException)."""

_POLL = 0.05  # seconds between checks for "stop" in the background threads


def stop_process_group(process: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a server started with start_new_session=True: SIGTERM to its process group,
    then SIGKILL if it has not gone within `timeout` seconds."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # its own session: pid == pgid
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Dynalite:
    """An in-memory dynalite on a free port on 127.0.0.1, for the length of a `with` block:

    with Dynalite() as db:
        client = boto3.client("dynamodb", endpoint_url=db.endpoint)
    """

    def __init__(self, *, start_timeout: float = 15.0) -> None:
        self.start_timeout = start_timeout
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._log_path: Path | None = None

    @property
    def endpoint(self) -> str:
        """The endpoint_url to give boto3, "http://127.0.0.1:N"."""
        if not self.port:
            raise RuntimeError("dynalite is not running")
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Dynalite:
        if not os.access(DYNALITE, os.X_OK):
            raise RuntimeError(
                f"{DYNALITE.relative_to(ROOT)} is missing: run `make test` (it runs npm ci)"
            )
        fd, log_name = tempfile.mkstemp(prefix="dynalite-", suffix=".log")
        os.close(fd)
        self._log_path = Path(log_name)
        try:
            for _attempt in range(3):  # another process may take the free port before dynalite
                if self._start():
                    return self
                if "EADDRINUSE" not in self.log_tail():
                    break
            raise RuntimeError(f"dynalite exited before it was ready:\n{self.log_tail()}")
        except BaseException:
            self._stop()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()

    def log_tail(self, chars: int = 4000) -> str:
        """The end of what dynalite printed (stdout and stderr)."""
        if self._log_path is None or not self._log_path.exists():
            return ""
        return self._log_path.read_bytes()[-chars:].decode(errors="replace")

    def _start(self) -> bool:
        """Start dynalite; True once it accepts connections, False if it exited first."""
        assert self._log_path is not None
        self.port = free_port()
        command = [str(DYNALITE), "--host", "127.0.0.1", "--port", str(self.port)]
        for option in ("--createTableMs", "--deleteTableMs", "--updateTableMs"):
            command += [option, "0"]
        with self._log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                return False
            if _accepts_connections(self.port):
                return True
            time.sleep(_POLL)
        raise RuntimeError(
            f"dynalite did not accept connections on port {self.port} within "
            f"{self.start_timeout:g} s:\n{self.log_tail()}"
        )

    def _stop(self) -> None:
        process, self.process = self.process, None
        if process is not None:
            stop_process_group(process, timeout=5)
        self.port = 0
        if self._log_path is not None:
            self._log_path.unlink(missing_ok=True)
            self._log_path = None


def _reset(sock: socket.socket) -> None:
    """Close with a TCP RST rather than a FIN, so the peer sees "connection reset"."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


class FaultProxy:
    """A TCP proxy on 127.0.0.1 in front of `target`, misbehaving as `mode` says:

    - "pass": forward bytes both ways;
    - "refuse": reset every connection as soon as it is accepted (connection reset);
    - "blackhole": accept and read, never answer (the client hits its read timeout);
    - "throttle": read each HTTP request whole and answer DynamoDB's ThrottlingException;
    - "slow": forward, but hold each chunk of the server's answer `slow_seconds` first;
    - "drip": forward, but pass the server's answer on one byte every `drip_seconds`;
    - "reset": forward, then reset the connection after `reset_after` bytes of the answer;
    - "garbage": forward the request, answer random bytes of the same length instead;
    - "lose_reply": forward the request (it lands), swallow the answer and hold the
      connection, for the next `replies_to_lose` connections; pass after that.

    The byte-level modes work for any protocol over TCP (plain HTTP, or TLS end to end).
    Assigning `mode` closes the connections opened under the old mode before it returns, so
    a client's pooled connection cannot slip past the new mode. `connections` counts accepted
    connections in every mode; `requests` counts the HTTP requests answered in "throttle".
    """

    def __init__(self, target: tuple[str, int], mode: Mode = "pass") -> None:
        self.target = target
        self.requests = 0
        self.connections = 0
        self.slow_seconds = 5.0
        self.drip_seconds = 0.2
        self.reset_after = 20
        self.replies_to_lose = 1
        self._mode: Mode = "pass"
        self._generation = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._handlers: set[threading.Thread] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(_POLL)
        self.port: int = self._listener.getsockname()[1]
        self._acceptor = threading.Thread(target=self._accept_loop, name="fault-proxy", daemon=True)
        self.mode = mode

    @property
    def endpoint(self) -> str:
        """The endpoint_url to give boto3, "http://127.0.0.1:N"."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def mode(self) -> Mode:
        """How the proxy treats new connections; see the class docstring."""
        return self._mode

    @mode.setter
    def mode(self, value: Mode) -> None:
        if value not in get_args(Mode):
            raise ValueError(f"unknown mode {value!r}; expected one of {get_args(Mode)}")
        with self._lock:
            self._mode = value
            self._generation += 1
            old = list(self._handlers)
        for thread in old:
            thread.join(timeout=2)

    def __enter__(self) -> FaultProxy:
        self._acceptor.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop accepting, drop every connection and wait (briefly) for the threads."""
        self._stopping.set()
        if self._acceptor.is_alive():
            self._acceptor.join(timeout=2)
        self._listener.close()
        with self._lock:
            handlers = list(self._handlers)
        for thread in handlers:
            thread.join(timeout=2)

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                self.connections += 1
                mode, generation = self._mode, self._generation
                if mode == "refuse":
                    _reset(client)
                    continue
                client.settimeout(5)
                thread = threading.Thread(
                    target=self._handle, args=(client, mode, generation), daemon=True
                )
                self._handlers.add(thread)
            thread.start()

    def _live(self, generation: int) -> bool:
        return not self._stopping.is_set() and generation == self._generation

    def _recv(self, sock: socket.socket, generation: int) -> bytes:
        """The next bytes from `sock`; b"" at end of stream or once this connection must end."""
        while self._live(generation):
            readable, _, _ = select.select([sock], [], [], _POLL)
            if readable:
                return sock.recv(65536)
        return b""

    def _handle(self, client: socket.socket, mode: Mode, generation: int) -> None:
        try:
            if mode == "lose_reply":
                with self._lock:
                    lose = self.replies_to_lose > 0
                    self.replies_to_lose -= 1 if lose else 0
                mode = "lose_reply" if lose else "pass"
            if mode in ("pass", "slow", "drip", "reset", "garbage", "lose_reply"):
                self._forward(client, generation, mode)
            elif mode == "throttle":
                self._throttle(client, generation)
            else:  # blackhole: read and drop everything, answer nothing
                while self._recv(client, generation):
                    pass
        except OSError:
            pass
        finally:
            client.close()
            with self._lock:
                self._handlers.discard(threading.current_thread())

    def _sleep(self, seconds: float, generation: int) -> bool:
        """Wait `seconds` unless the connection must end first; False if it must."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if not self._live(generation):
                return False
            time.sleep(min(_POLL, max(0.0, end - time.monotonic())))
        return self._live(generation)

    def _forward(self, client: socket.socket, generation: int, mode: Mode = "pass") -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
        except OSError:
            _reset(client)
            return
        answered = 0
        with upstream:
            peers = {client: upstream, upstream: client}
            while self._live(generation):
                readable, _, _ = select.select(list(peers), [], [], _POLL)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client or mode == "pass":
                        peers[sock].sendall(data)
                    elif mode == "slow":
                        if not self._sleep(self.slow_seconds, generation):
                            return
                        client.sendall(data)
                    elif mode == "drip":
                        for index in range(len(data)):
                            client.sendall(data[index : index + 1])
                            if not self._sleep(self.drip_seconds, generation):
                                return
                    elif mode == "reset":
                        client.sendall(data[: max(0, self.reset_after - answered)])
                        answered += len(data)
                        if answered >= self.reset_after:
                            _reset(client)
                            return
                    elif mode == "garbage":
                        client.sendall(os.urandom(len(data)))
                    # "lose_reply": the request has landed; its answer goes nowhere

    def _throttle(self, client: socket.socket, generation: int) -> None:
        buffer = b""
        while True:
            while b"\r\n\r\n" not in buffer:
                chunk = self._recv(client, generation)
                if not chunk:
                    return
                buffer += chunk
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            length = _content_length(head)
            while len(buffer) < length:
                chunk = self._recv(client, generation)
                if not chunk:
                    return
                buffer += chunk
            buffer = buffer[length:]
            with self._lock:
                self.requests += 1
            client.sendall(THROTTLE_RESPONSE)


class HttpsFiles:
    """An HTTPS server on 127.0.0.1 serving `files` (path -> bytes) with the certificate of
    tests.certs.local_tls(), for the length of a `with` block; 404 for anything else.

    `inside_tls` makes it misbehave after the TLS handshake, where a proxy cannot: "slow"
    answers after 5 s, "drip" sends its answer one byte every 0.2 s."""

    def __init__(self, files: dict[str, bytes], inside_tls: str | None = None) -> None:
        self.files = dict(files)
        self.inside_tls = inside_tls
        self.port = 0
        self.requests = 0
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> HttpsFiles:
        import ssl
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        from tests.certs import local_tls

        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                owner.requests += 1
                body = owner.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                body = body if body is not None else b"not found"
                self.send_header("Content-Length", str(len(body)))
                if owner.inside_tls == "slow":
                    time.sleep(5)
                self.end_headers()
                if owner.inside_tls == "drip":
                    for index in range(len(body)):
                        self.wfile.write(body[index : index + 1])
                        self.wfile.flush()
                        time.sleep(0.2)
                else:
                    self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        identity = local_tls()
        directory = tempfile.mkdtemp(prefix="https-files-")
        cert, key = Path(directory) / "cert.pem", Path(directory) / "key.pem"
        cert.write_bytes(identity.cert_pem)
        key.write_bytes(identity.key_pem)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        cert.unlink()
        key.unlink()
        os.rmdir(directory)

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that gave up mid-answer is what the fault tests do

        server = Server(("127.0.0.1", 0), Handler)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)


@contextlib.contextmanager
def https_stand_in(ca: Any) -> Iterator[Any]:
    """A pytest-httpserver HTTPServer on 127.0.0.1 over HTTPS, its certificate issued by the
    trustme ``ca`` (for 127.0.0.1 and localhost), threaded, for the length of the block: the
    stand-in for a request's apiEndpoint (the SDK's client refuses http://)."""
    import ssl

    from pytest_httpserver import HTTPServer

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    server = HTTPServer(host="127.0.0.1", ssl_context=context, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()
