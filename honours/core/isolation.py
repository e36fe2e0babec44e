"""Run untrusted parsing (an uploaded workbook) in a child process with CPU-time, memory and wall-clock limits, so
one hostile file can hold a web worker for a few seconds at most and never exhaust its memory.

The child is forked (cheap: it shares the worker's loaded modules) and ends with os._exit, so it never runs the
worker's exit handlers nor touches its database connections. `function` must be a plain computation: it gets
picklable arguments and returns a picklable value. Where fork is not available (not Linux) it runs in-process.
"""
import logging
import multiprocessing
import resource
import time

log = logging.getLogger(__name__)


class LimitExceeded(Exception):
    """The child ran out of time or memory, or died (the result is unknown)."""


class ChildFailed(Exception):
    """`function` raised in the child; the message names the exception type."""


def _address_space_now() -> int | None:
    """The process's current virtual size (the child starts with its parent's), or None where unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _set_limits(cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU would otherwise dump a worker-sized core file
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))  # SIGXCPU, then SIGKILL
    current = _address_space_now()
    if current is not None:  # RLIMIT_AS counts what the fork already maps: allow that plus the budget
        limit = current + memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child(connection, function, args, cpu_seconds: int, memory_bytes: int) -> None:
    try:
        _set_limits(cpu_seconds, memory_bytes)
        result = ("ok", function(*args))
    except MemoryError:
        result = ("memory", None)
    except Exception as error:  # reported to the parent by type only: the child has no logging of its own
        result = ("raised", type(error).__name__)
    try:
        connection.send(result)
    except MemoryError:
        connection.send(("memory", None))
    connection.close()


def can_isolate() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def run_limited(function, *args, cpu_seconds: int, memory_bytes: int, wall_seconds: float):
    """function(*args) computed in a child process under the limits. LimitExceeded when a limit was hit (the
    child is killed), ChildFailed when function raised."""
    if not can_isolate():
        log.warning("no fork on this platform: %s runs in the web process, without limits", function.__name__)
        return function(*args)
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sending, function, args, cpu_seconds, memory_bytes), daemon=True)
    started = time.monotonic()
    child.start()
    sending.close()  # only the child writes: its death then reads as end of file here
    try:
        if not receiving.poll(wall_seconds):
            raise LimitExceeded(f"no answer within {wall_seconds} s")
        try:
            status, value = receiving.recv()
        except (EOFError, OSError):
            raise LimitExceeded("the child died (CPU-time limit or killed)") from None
    finally:
        receiving.close()
        if child.is_alive():
            child.kill()
        child.join(1)
        log.debug("%s ran %.2f s in child %s", function.__name__, time.monotonic() - started, child.pid)
    if status == "memory":
        raise LimitExceeded("memory limit")
    if status == "raised":
        raise ChildFailed(value)
    return value

