"""One executor interface for every sweep and ensemble: serial, local processes or Dask.

Every function of the toolkit that runs many independent pieces of work (the fund's
Monte Carlo, the robustness sweep of the optimum, scenario grids, sensitivity and Pareto
sweeps) takes ``executor=``:

* ``None`` — serial, in this process (the default);
* an ``int`` ``k`` — ``k`` local worker processes (a :class:`ProcessExecutor`, started
  with the ``spawn`` method so no thread state is forked, closed when the call ends);
* a :class:`distributed.Client` connected to any Dask cluster (a ``LocalCluster``, a
  ``dask scheduler`` on another machine, dask-jobqueue on HPC, dask-kubernetes ...);
* an :class:`Executor` built here (e.g. a :class:`ProcessExecutor` kept open and reused
  across calls, which saves the workers' start-up).

Work is cut into **blocks** that are pure functions of their inputs: each block is
seeded by its own child of :meth:`numpy.random.SeedSequence.spawn` and results are put
back in block order, never in completion order.  So a result is identical, bit for bit,
whatever the executor and the number of workers; if a Dask worker dies its blocks are
recomputed elsewhere and give the same numbers, and a block is never counted twice.

What is sent to a worker is ``(function, shared, item)`` pickled: keep ``shared`` to the
recipe of the work (a problem's keyword arguments, a process model), not its data.

Every block runs with its BLAS and OpenMP libraries held to **one thread**
(:func:`single_threaded`), serially too.  The blocks here are small linear algebra
(a solve's matrices are a few dozen wide), where OpenBLAS's helper threads only spin: on
2 cores a robustness draw took 0.50 s of CPU and 0.67 s of wall time with them and
0.21 s / 0.23 s without, and two such workers each spinning a second thread
oversubscribe the machine.  Parallelism comes from the blocks, one per worker; the same
thread count everywhere also keeps the floating-point results the same on every executor.
Local worker processes are started with ``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS`` and
``MKL_NUM_THREADS`` set to 1 (Dask's nanny does the same for its workers) and with
``MALLOC_MMAP_THRESHOLD_`` set (:func:`worker_environ` says why: without it, a process
started after a Dask ``LocalCluster`` spends +50 % CPU on page faults).  For Dask workers
set the same through Dask's configuration, ``distributed.nanny.pre-spawn-environ``.

Dask is optional (``pip install uipolicy[distributed]``); serial and process-pool
execution work without it.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import AbstractContextManager
from types import TracebackType
from typing import Any, Protocol, Self, TextIO, TypeVar

import numpy as np
import threadpoolctl

from uicore.errors import ParameterError, UIPolicyError

__all__ = [
    "DaskExecutor",
    "Executor",
    "ExecutorError",
    "ProcessExecutor",
    "Progress",
    "SerialExecutor",
    "connect",
    "map_blocks",
    "resolve_executor",
    "run_blocks",
    "single_threaded",
    "spawn_seeds",
    "worker_environ",
]

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

#: Seconds :func:`connect` waits for a scheduler to answer by default.
CONNECT_TIMEOUT = 10.0
#: How many times a process pool that lost a worker is restarted before giving up.
_POOL_RESTARTS = 2
#: Set in every local worker process: BLAS/OpenMP libraries loaded there start with 1 thread.
ONE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                  "MKL_NUM_THREADS": "1"}
#: glibc serves allocations below this many bytes from its heap, reused across blocks
#: (32 MiB, glibc's own ceiling for its adaptive threshold).  Set for local workers unless
#: the environment sets it; see :func:`worker_environ`.
MMAP_THRESHOLD = 32 * 2**20



class _ControllerCache:
    """The process's threadpool controller and how many modules were loaded when it was made."""

    controller: threadpoolctl.ThreadpoolController | None = None
    modules = -1


_CACHE = _ControllerCache()


def single_threaded() -> AbstractContextManager[object]:
    """A context in which every loaded BLAS and OpenMP library uses one thread.

    The previous thread counts are restored on exit.  The libraries are found once and
    looked for again only after new modules were imported (a new module may have loaded a
    new native library), so entering costs about 0.05 ms.

    Returns
    -------
    context manager
        From :meth:`threadpoolctl.ThreadpoolController.limit`.

    Examples
    --------
    >>> import numpy, threadpoolctl
    >>> with single_threaded():
    ...     {info["num_threads"] for info in threadpoolctl.threadpool_info()}
    {1}
    """
    if _CACHE.controller is None or _CACHE.modules != len(sys.modules):
        _CACHE.controller = threadpoolctl.ThreadpoolController()
        _CACHE.modules = len(sys.modules)
    limit: AbstractContextManager[object] = _CACHE.controller.limit(limits=1)
    return limit


@contextlib.contextmanager
def worker_environ() -> Iterator[dict[str, str]]:
    """Temporarily set, in this process, the environment local workers are started with.

    * ``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS`` = 1
      (:data:`ONE_THREAD_ENV`);
    * ``MALLOC_MMAP_THRESHOLD_`` = 32 MiB (:data:`MMAP_THRESHOLD`) unless already set.
      Dask's nanny puts ``MALLOC_TRIM_THRESHOLD_=65536`` into the environment of the
      process that starts a ``LocalCluster`` (its documentation says so) and leaves it
      there; any process started later inherits it, and with it glibc stops adapting its
      mmap threshold, so every array above 128 kB is a fresh ``mmap`` that the kernel
      must zero.  A Monte Carlo chunk then costs 7x the page faults and +50 % CPU
      (measured: 1.7 s of system time per 20 chunks instead of 0.27 s).  With the
      threshold set, memory is still trimmed but blocks reuse the heap.

    Everything is restored on exit.

    Yields
    ------
    dict
        The variables that were set.

    Examples
    --------
    >>> import os
    >>> with worker_environ() as env:
    ...     os.environ["OPENBLAS_NUM_THREADS"]
    '1'
    >>> sorted(env)[:2]
    ['MALLOC_MMAP_THRESHOLD_', 'MKL_NUM_THREADS']
    """
    env = dict(ONE_THREAD_ENV)
    env.setdefault("MALLOC_MMAP_THRESHOLD_",
                   os.environ.get("MALLOC_MMAP_THRESHOLD_", str(MMAP_THRESHOLD)))
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield env
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _one_thread_call(fn: Callable[[S, T], R], shared: S, item: T) -> R:
    """``fn(shared, item)`` with BLAS and OpenMP held to one thread (runs on a worker)."""
    with single_threaded():
        return fn(shared, item)


def _init_worker() -> None:
    """Start a local worker process with one BLAS/OpenMP thread.

    The environment covers libraries the blocks load later (they read it when loaded).
    """
    os.environ.update(ONE_THREAD_ENV)
    threadpoolctl.threadpool_limits(limits=1)


class ExecutorError(UIPolicyError):
    """An executor cannot be used.

    Dask missing, a scheduler that does not answer, a worker pool that keeps dying.

    Examples
    --------
    >>> issubclass(ExecutorError, UIPolicyError)
    True
    >>> raise ExecutorError("Dask is not installed")
    Traceback (most recent call last):
    ...
    uicore.executors.ExecutorError: Dask is not installed
    """


class ProgressLike(Protocol):
    """Anything told how many blocks are done (:class:`Progress` is one)."""

    def start(self, total: int, note: str = "") -> None:
        """Work of ``total`` blocks begins (``note``: e.g. a dashboard link)."""

    def update(self, done: int) -> None:
        """``done`` blocks are finished."""

    def close(self) -> None:
        """The work is over."""


class Progress:
    """A one-line text progress bar (stderr by default), with rate and time to go.

    Parameters
    ----------
    label : str
        What is being done, shown before the bar.
    stream : text stream, optional, keyword-only
        Where to write (default ``sys.stderr``).
    width : int, keyword-only
        Characters of the bar.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> bar = Progress("draws", stream=out)
    >>> bar.start(4)
    >>> bar.update(4)
    >>> bar.close()
    >>> "4/4" in out.getvalue()
    True
    """

    def __init__(self, label: str = "", *, stream: TextIO | None = None,
                 width: int = 28) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.total = 0
        self.done = 0
        self._t0 = time.perf_counter()

    def start(self, total: int, note: str = "") -> None:
        """Begin a bar of ``total`` blocks; ``note`` is printed on its own line first.

        Parameters
        ----------
        total : int
            The number of blocks the work has.
        note : str, optional
            A line printed above the bar (e.g. a dashboard link); nothing when empty.

        Examples
        --------
        >>> import io
        >>> out = io.StringIO()
        >>> Progress("draws", stream=out).start(10, note="serial")
        >>> out.getvalue().splitlines()[0]
        'serial'
        """
        self.total, self.done, self._t0 = total, 0, time.perf_counter()
        if note:
            self.stream.write(f"{note}\n")
        self._draw()

    def update(self, done: int) -> None:
        """Redraw with ``done`` blocks finished.

        Parameters
        ----------
        done : int
            Blocks finished so far.

        Examples
        --------
        >>> import io
        >>> out = io.StringIO()
        >>> bar = Progress("draws", stream=out)
        >>> bar.start(4)
        >>> bar.update(2)
        >>> "2/4" in out.getvalue()
        True
        """
        self.done = done
        self._draw()

    def close(self) -> None:
        r"""End the line.

        Examples
        --------
        >>> import io
        >>> out = io.StringIO()
        >>> bar = Progress(stream=out)
        >>> bar.start(1)
        >>> bar.close()
        >>> out.getvalue().endswith("\n")
        True
        """
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self) -> None:
        total = max(self.total, 1)
        filled = int(self.width * self.done / total)
        elapsed = time.perf_counter() - self._t0
        eta = (f"~{elapsed / self.done * (self.total - self.done):6.1f}s to go" if self.done
               else "")
        self.stream.write(f"\r{self.label} [{'#' * filled}{'-' * (self.width - filled)}] "
                          f"{self.done}/{self.total} {elapsed:6.1f}s {eta:<16}")
        self.stream.flush()


class Executor:
    """Runs ``fn(shared, item)`` for many items; subclasses say where.

    Attributes
    ----------
    workers : int
        Workers available (1 for serial).
    kind : str
        ``"serial"``, ``"processes"`` or ``"dask"``.
    """

    kind = "executor"
    workers = 1

    def imap(self, fn: Callable[[S, T], R], shared: S, items: Sequence[T]
             ) -> Iterator[tuple[int, R]]:
        """Yield ``(index, fn(shared, items[index]))`` as blocks finish (any order)."""
        raise NotImplementedError

    def note(self) -> str:
        """A line for the progress display (e.g. the Dask dashboard link)."""
        return ""

    def close(self) -> None:
        """Release the workers this executor started (none for serial or Dask)."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(workers={self.workers})"


class SerialExecutor(Executor):
    """Everything in this process, in order.

    Examples
    --------
    >>> run_blocks(lambda s, i: s * i, [1, 2, 3], shared=10, executor=SerialExecutor())
    [10, 20, 30]
    """

    kind = "serial"

    def imap(self, fn: Callable[[S, T], R], shared: S, items: Sequence[T]
             ) -> Iterator[tuple[int, R]]:
        """Yield ``(index, result)`` in order (each block with one BLAS thread)."""
        for i, item in enumerate(items):
            yield i, _one_thread_call(fn, shared, item)


class ProcessExecutor(Executor):
    """``workers`` local processes (``spawn`` start method).

    The pool starts at the first use and stays up until :meth:`close` (use it as a
    context manager to reuse the workers across calls).  A pool that loses a worker
    (killed by the operating system, e.g. out of memory) is restarted and the unfinished
    blocks are resubmitted, at most twice.

    Parameters
    ----------
    workers : int
        Number of processes, >= 1.

    Raises
    ------
    uicore.errors.ParameterError
        ``workers`` is not an integer >= 1.

    Examples
    --------
    >>> with ProcessExecutor(2) as ex:
    ...     run_blocks(pow, [1, 2, 3], shared=2, executor=ex)
    [2, 4, 8]
    """

    kind = "processes"

    def __init__(self, workers: int) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int | np.integer) \
                or workers < 1:
            raise ParameterError("executor", workers,
                                 "a number of worker processes must be an integer >= 1")
        self.workers = int(workers)
        self._pool: ProcessPoolExecutor | None = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker)
            # A spawn pool starts a process per waiting task: one task per worker starts
            # them all now (so they import in parallel), with the workers' environment.
            with worker_environ():
                for _ in range(self.workers):
                    self._pool.submit(os.getpid)
        return self._pool

    def imap(self, fn: Callable[[S, T], R], shared: S, items: Sequence[T]
             ) -> Iterator[tuple[int, R]]:
        """Yield ``(index, result)`` as blocks finish; at most ``4 * workers`` in flight."""
        todo = list(range(len(items)))[::-1]
        restarts = 0
        while True:
            pool = self._get_pool()
            running: dict[Future[R], int] = {}
            try:
                yield from self._drain(pool, fn, shared, items, todo, running)
                return
            except BrokenProcessPool:
                restarts += 1
                todo.extend(sorted(running.values(), reverse=True))
                self.close()
                if restarts > _POOL_RESTARTS:
                    raise ExecutorError(
                        f"the pool of {self.workers} worker processes broke {restarts} "
                        "times (a worker was killed, e.g. out of memory); use fewer "
                        "workers or a smaller chunk") from None

    def _drain(self, pool: ProcessPoolExecutor, fn: Callable[[S, T], R], shared: S,
               items: Sequence[T], todo: list[int], running: dict[Future[R], int]
               ) -> Iterator[tuple[int, R]]:
        limit = 4 * self.workers
        while todo or running:
            while todo and len(running) < limit:
                i = todo.pop()
                running[pool.submit(_one_thread_call, fn, shared, items[i])] = i
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in sorted(done, key=running.__getitem__):
                result = fut.result()  # a block's own error propagates unchanged
                yield running.pop(fut), result

    def close(self) -> None:
        """Shut the pool down (it restarts at the next use)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor(Executor):
    """Blocks as tasks of a :class:`distributed.Client` (any cluster).

    Dask recomputes the blocks of a worker that dies on another worker; results are
    collected by block index, so none is lost or counted twice.  The client belongs to
    the caller and is not closed here.

    Parameters
    ----------
    client : distributed.Client

    Raises
    ------
    ExecutorError
        Dask is not installed.
    uicore.errors.ParameterError
        ``client`` is not a ``distributed.Client``.
    """

    kind = "dask"

    def __init__(self, client: Any) -> None:
        distributed = _distributed()
        if not isinstance(client, distributed.Client):
            raise ParameterError("executor", client, "must be a distributed.Client")
        self.client = client
        self.workers = max(1, len(client.scheduler_info().get("workers", {})))

    def note(self) -> str:
        """The dashboard link, where the scheduler serves one."""
        link = getattr(self.client, "dashboard_link", None)
        return f"Dask dashboard: {link}" if link else ""

    def imap(self, fn: Callable[[S, T], R], shared: S, items: Sequence[T]
             ) -> Iterator[tuple[int, R]]:
        """Yield ``(index, result)`` as tasks finish; at most ``8 * workers`` in flight."""
        distributed = _distributed()
        limit = 8 * max(self.workers, 1)
        todo = list(range(len(items)))[::-1]
        index: dict[str, int] = {}
        token = f"{getattr(fn, '__name__', 'block')}-{time.time_ns()}"
        ac = distributed.as_completed()

        def submit() -> None:
            i = todo.pop()
            fut = self.client.submit(_one_thread_call, fn, shared, items[i],
                                     key=f"{token}-{i}", pure=False)
            index[fut.key] = i
            ac.add(fut)

        for _ in range(min(limit, len(todo))):
            submit()
        for fut in ac:
            i = index[fut.key]
            result = fut.result()  # a block's own error propagates unchanged
            fut.release()
            if todo:
                submit()
            yield i, result


def _distributed() -> Any:
    try:
        import distributed  # noqa: PLC0415 optional (test extra): only a dask executor needs it
    except ImportError:
        raise ExecutorError("Dask is not installed: pip install 'uipolicy[distributed]' "
                            "(or 'dask[distributed]') to run on a scheduler") from None
    return distributed


def connect(address: str, *, timeout: float = CONNECT_TIMEOUT) -> Any:
    """A :class:`distributed.Client` connected to the scheduler at ``address``.

    Parameters
    ----------
    address : str
        e.g. ``"tcp://10.0.0.5:8786"``.
    timeout : float, keyword-only
        Seconds to wait for the scheduler to answer (default 10).

    Returns
    -------
    distributed.Client

    Raises
    ------
    ExecutorError
        Dask is not installed, or no scheduler answered within ``timeout`` seconds.
    uicore.errors.ParameterError
        ``address`` is not a ``scheme://host:port`` string or ``timeout`` is not > 0.

    Examples
    --------
    >>> connect("tcp://127.0.0.1:9", timeout=0.5)
    Traceback (most recent call last):
    ...
    uicore.executors.ExecutorError: no Dask scheduler answered at tcp://127.0.0.1:9 within 0.5 s ...
    """
    if not isinstance(address, str) or "://" not in address or ":" not in \
            address.split("://", 1)[1]:
        raise ParameterError("scheduler", address, "must look like tcp://HOST:PORT")
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ParameterError("timeout", timeout, "must be a number of seconds > 0")
    distributed = _distributed()
    try:
        return distributed.Client(address, timeout=float(timeout))
    except (OSError, TimeoutError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ExecutorError(
            f"no Dask scheduler answered at {address} within {timeout:g} s "
            f"({reason[:120]}); start one with 'dask scheduler' or check the address"
        ) from None


def resolve_executor(executor: Any) -> tuple[Executor, bool]:
    """The :class:`Executor` for an ``executor=`` argument, and whether to close it after.

    Parameters
    ----------
    executor : None, int, distributed.Client or Executor

    Returns
    -------
    tuple of (Executor, bool)
        The executor; True when this call created workers the caller must close.

    Raises
    ------
    uicore.errors.ParameterError
        Anything else (a negative or zero count, a string ...).

    Examples
    --------
    >>> resolve_executor(None)
    (SerialExecutor(workers=1), False)
    >>> resolve_executor(2)
    (ProcessExecutor(workers=2), True)
    """
    if executor is None:
        return SerialExecutor(), False
    if isinstance(executor, Executor):
        return executor, False
    if isinstance(executor, int | np.integer) and not isinstance(executor, bool):
        return ProcessExecutor(int(executor)), True
    if type(executor).__name__ == "Client" and "distributed" in type(executor).__module__:
        return DaskExecutor(executor), False
    raise ParameterError("executor", executor, "must be None (serial), an integer number of "
                         "local processes or a distributed.Client")


def map_blocks(fn: Callable[[S, T], R], items: Sequence[T], *, shared: S,
               executor: Any = None, progress: ProgressLike | None = None
               ) -> Iterator[tuple[int, R]]:
    """Yield ``(index, fn(shared, items[index]))`` as blocks finish, in any order.

    For streaming reductions whose merge does not depend on order (histogram counts) or
    that store each result by its index.  ``fn`` must be picklable (a module-level
    function) for processes and Dask.

    Parameters
    ----------
    fn : callable
        ``fn(shared, item)``; pure (same inputs, same result).
    items : sequence
        One per block (e.g. a block's seed and range).
    shared : object, keyword-only
        Sent with every block: keep it small (a recipe, not data).
    executor : None, int, distributed.Client or Executor, keyword-only
    progress : Progress, optional, keyword-only

    Yields
    ------
    tuple of (int, object)

    Raises
    ------
    ExecutorError
        The executor cannot run the work.
    uicore.errors.ParameterError
        A bad ``executor``.

    Examples
    --------
    >>> sorted(map_blocks(divmod, [7, 9], shared=100))
    [(0, (14, 2)), (1, (11, 1))]
    """
    ex, owned = resolve_executor(executor)
    try:
        if progress is not None:
            progress.start(len(items), ex.note())
        for done, pair in enumerate(ex.imap(fn, shared, items), start=1):
            if progress is not None:
                progress.update(done)
            yield pair
    finally:
        if progress is not None:
            progress.close()
        if owned:
            ex.close()


def run_blocks(fn: Callable[[S, T], R], items: Sequence[T], *, shared: S,
               executor: Any = None, progress: ProgressLike | None = None) -> list[R]:
    """``[fn(shared, item) for item in items]`` on any executor, in block order.

    Parameters
    ----------
    fn : callable
        ``fn(shared, item)``; pure.
    items : sequence
    shared : object, keyword-only
    executor : None, int, distributed.Client or Executor, keyword-only
    progress : Progress, optional, keyword-only

    Returns
    -------
    list
        The results in the order of ``items``.

    Raises
    ------
    ExecutorError
        The executor cannot run the work.
    uicore.errors.ParameterError
        A bad ``executor``.

    Examples
    --------
    >>> run_blocks(pow, [1, 2, 3], shared=2, executor=None)
    [2, 4, 8]
    """
    out: list[Any] = [None] * len(items)
    seen = [False] * len(items)
    for i, result in map_blocks(fn, items, shared=shared, executor=executor,
                                progress=progress):
        if seen[i]:
            raise ExecutorError(f"block {i} came back twice")  # never silently double-count
        out[i], seen[i] = result, True
    missing = [i for i, s in enumerate(seen) if not s]
    if missing:
        raise ExecutorError(f"blocks {missing[:5]} never came back")
    return out


def spawn_seeds(seed: int | np.random.SeedSequence | None, n: int
                ) -> tuple[list[np.random.SeedSequence], int]:
    """``n`` independent child seeds of ``seed`` and the root's entropy.

    Child ``k`` depends only on ``(seed, k)``: the first ``n`` children of a larger
    spawn are the same.

    Parameters
    ----------
    seed : int, SeedSequence or None
        ``None`` draws fresh entropy (returned, so the run can be repeated).
    n : int

    Returns
    -------
    tuple of (list of SeedSequence, int)

    Raises
    ------
    uicore.errors.ParameterError
        ``seed`` is not a non-negative integer, a SeedSequence or None.

    Examples
    --------
    >>> a, entropy = spawn_seeds(7, 3)
    >>> b, _ = spawn_seeds(7, 5)
    >>> entropy, [bool(x.generate_state(1)[0] == y.generate_state(1)[0]) for x, y in zip(a, b)]
    (7, [True, True, True])
    """
    if isinstance(seed, bool) or not (seed is None or isinstance(
            seed, int | np.integer | np.random.SeedSequence)):
        raise ParameterError("seed", seed, "must be an integer >= 0, a SeedSequence or None")
    if isinstance(seed, int | np.integer) and seed < 0:
        raise ParameterError("seed", seed, "an integer seed must be >= 0")
    root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    entropy = root.entropy
    if not isinstance(entropy, int):
        raise ParameterError("seed", seed, "a SeedSequence with an integer entropy")
    return list(root.spawn(n)), entropy
