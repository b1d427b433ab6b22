"""Overall deadlines for outbound calls, and one HTTP/1.1 exchange that keeps to one.

A socket timeout limits each read, not the whole call: a server dripping a byte a second, or a
TLS handshake dripping its records, never trips it (issue 10, finding 4). So an exchange here
sets every socket operation's timeout to the time left, and a watchdog shuts the socket down
at the deadline, which ends any blocking read, write or handshake at once.

The turn budget: `with turn_budget(seconds):` bounds every deadline made inside it (in this
thread or context), so that all the outbound calls of one turn together end in time.
"""

from __future__ import annotations

import contextlib
import contextvars
import heapq
import http.client
import itertools
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

_turn_end: contextvars.ContextVar[float | None] = contextvars.ContextVar("turn_end", default=None)


class DeadlineExceeded(TimeoutError):
    """The call's overall deadline passed before it finished."""


class Deadline(NamedTuple):
    """A moment on the monotonic clock by which a call must be over."""

    end: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        """`seconds` from now, and never later than the current turn's budget allows."""
        end = time.monotonic() + seconds
        turn_end = _turn_end.get()
        return cls(end if turn_end is None else min(end, turn_end))

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def expired(self) -> bool:
        return time.monotonic() >= self.end

    def sooner(self, seconds: float) -> Deadline:
        """This deadline, or `seconds` from now if that comes first."""
        return Deadline(min(self.end, time.monotonic() + seconds))

    def check(self) -> float:
        """The time left; DeadlineExceeded when there is none."""
        left = self.remaining()
        if left <= 0:
            raise DeadlineExceeded("deadline passed")
        return left


def turn_left() -> float:
    """Seconds left in the current turn's budget (infinite outside one)."""
    turn_end = _turn_end.get()
    return float("inf") if turn_end is None else max(0.0, turn_end - time.monotonic())


class turn_budget:  # (lower case: used as a function, `with turn_budget(seconds):`)
    """Bound every Deadline made inside to `seconds` from now (nested budgets: the sooner).
    A class rather than a @contextmanager generator: every turn enters one, and this costs
    about a microsecond less."""

    __slots__ = ("seconds", "token")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self) -> Deadline:
        deadline = Deadline.after(self.seconds)
        self.token = _turn_end.set(deadline.end)
        return deadline

    def __exit__(self, *exc_info: object) -> None:
        _turn_end.reset(self.token)


# --- the watchdog --------------------------------------------------------------------------


@dataclass(order=True)
class _Alarm:
    at: float
    order: int
    action: Callable[[], None] = field(compare=False)
    cancelled: bool = field(default=False, compare=False)


class _Watchdog:
    """One daemon thread that runs each alarm's action at its time, unless cancelled."""

    def __init__(self) -> None:
        self._alarms: list[_Alarm] = []
        self._wake = threading.Condition()
        self._counter = itertools.count()
        self._thread: threading.Thread | None = None

    def set(self, at: float, action: Callable[[], None]) -> _Alarm:
        alarm = _Alarm(at, next(self._counter), action)
        with self._wake:
            heapq.heappush(self._alarms, alarm)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="deadline", daemon=True)
                self._thread.start()
            self._wake.notify()
        return alarm

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._alarms or self._alarms[0].cancelled:
                    if self._alarms:
                        heapq.heappop(self._alarms)
                    else:
                        self._wake.wait()
                wait = self._alarms[0].at - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                alarm = heapq.heappop(self._alarms)
            if not alarm.cancelled:
                with contextlib.suppress(Exception):
                    alarm.action()


_watchdog = _Watchdog()


def _shut(sock: socket.socket | None) -> None:
    if sock is not None:
        # The plain socket's shutdown, also for an SSLSocket: it ends a read blocked in
        # another thread without touching the TLS object that thread is using.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


# --- one HTTP exchange within a deadline ---------------------------------------------------


class Answer(NamedTuple):
    status: int
    headers: dict[str, str]
    body: bytes


class Endpoint:
    """HTTP(S) exchanges with one host, over one kept-alive connection per thread."""

    def __init__(
        self,
        host: str,
        port: int,
        https: bool,
        *,
        connect_timeout: float,
        context: ssl.SSLContext | None = None,
        keep_alive: bool = True,
    ) -> None:
        self.host = host
        self.port = port
        self.https = https
        self.connect_timeout = connect_timeout
        self.context = context
        self.keep_alive = keep_alive
        self.local = threading.local()

    def exchange(
        self,
        method: str,
        path: str,
        body: bytes | None,
        headers: dict[str, str],
        deadline: Deadline,
        max_bytes: int,
    ) -> Answer:
        """One request and its whole answer, over by `deadline` (else DeadlineExceeded, or the
        OSError or HTTPException that the cut-off caused). A failed exchange closes the
        connection, so that no half-read answer is taken for the next one."""
        left = deadline.check()
        connection: http.client.HTTPConnection | None = getattr(self.local, "connection", None)
        connection_box: list[http.client.HTTPConnection | None] = [connection]
        alarm = _watchdog.set(deadline.end, lambda: _shut(self._socket_of(connection_box)))
        try:
            if connection is None:
                connection = self._new_connection(min(self.connect_timeout, left))
                connection_box[0] = connection
                connection.connect()
            assert connection.sock is not None
            connection.sock.settimeout(deadline.check())
            connection.request(method, path, body=body, headers=headers)
            connection.sock.settimeout(deadline.check())
            response = connection.getresponse()
            data = response.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise http.client.HTTPException("answer too large")
            answer = Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
            deadline.check()  # an answer completed by the cut-off itself is not an answer
        except BaseException as error:
            self._drop(connection)
            if deadline.expired() and isinstance(error, OSError | http.client.HTTPException):
                raise DeadlineExceeded("deadline passed") from error
            raise
        finally:
            alarm.cancelled = True
        if response.will_close or not self.keep_alive:
            self._drop(connection)
        else:
            self.local.connection = connection
        return answer

    @staticmethod
    def _socket_of(box: list[http.client.HTTPConnection | None]) -> socket.socket | None:
        connection = box[0]
        return None if connection is None else connection.sock

    def _new_connection(self, timeout: float) -> http.client.HTTPConnection:
        if self.https:
            return http.client.HTTPSConnection(
                self.host, self.port, timeout=timeout, context=self.context
            )
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def _drop(self, connection: http.client.HTTPConnection | None) -> None:
        if connection is not None:
            connection.close()
        self.local.connection = None

    def close(self) -> None:
        self._drop(getattr(self.local, "connection", None))
