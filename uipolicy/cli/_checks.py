"""Input checks and atomic output shared by the subcommands (imports nothing heavy).

Every check runs while the arguments are parsed, before any computation: a bad value is
a one-line usage error with exit code 2 that names the option, the value and the rule.
Files are written to a temporary sibling and moved into place only when everything
succeeded, so a failure leaves the previous output untouched.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = [
    "FIGURE_SUFFIXES",
    "MEMORY_BUDGET_BYTES",
    "atomic_file",
    "check_figure_path",
    "int_in_range",
    "max_paths",
    "nonnegative_float",
    "rate",
    "replace_outputs",
]

#: Working memory the Monte Carlo's kept paths may use (bytes): the ensemble keeps each
#: quantity as float32 per path and year, so the path limit is this budget divided by
#: ``4 * years * quantities``.
MEMORY_BUDGET_BYTES = 2**30

#: File types matplotlib's Agg, PDF, PS and SVG backends write without extra software.
FIGURE_SUFFIXES = (".png", ".pdf", ".svg", ".svgz", ".eps", ".ps")


def max_paths(n_years: int, n_quantities: int, *, budget: int = MEMORY_BUDGET_BYTES) -> int:
    """Most Monte Carlo paths whose kept float32 values fit in ``budget`` bytes.

    Parameters
    ----------
    n_years : int
        Projected years per path.
    n_quantities : int
        Quantities kept per path and year.
    budget : int, keyword-only
        Bytes available for the kept values (default :data:`MEMORY_BUDGET_BYTES`).

    Returns
    -------
    int
        ``budget // (4 * n_years * n_quantities)``.

    Examples
    --------
    >>> max_paths(5, 3)
    17895697
    """
    return budget // (4 * n_years * n_quantities)


def int_in_range(name: str, lo: int, hi: int, why: str) -> Callable[[str], int]:
    """An argparse ``type`` accepting integers in ``[lo, hi]``; the message says ``why``.

    Parameters
    ----------
    name : str
        The option, as the user typed it (e.g. ``"--paths"``).
    lo, hi : int
        Inclusive bounds.
    why : str
        The reason for the bounds, shown in the error.

    Returns
    -------
    callable
        Converts the text to an ``int`` or raises :class:`argparse.ArgumentTypeError`.

    Examples
    --------
    >>> int_in_range("--years", 1, 9, "the data span")("3")
    3
    >>> int_in_range("--years", 1, 9, "the data span")("1000")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: --years = 1000: must be between 1 and 9 (the data span)
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name} = {text!r}: must be a whole number") from None
        if not lo <= value <= hi:
            raise argparse.ArgumentTypeError(
                f"{name} = {value}: must be between {lo:,} and {hi:,} ({why})")
        return value

    return parse


def _float(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name} = {text!r}: must be a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{name} = {text}: must be a finite number")
    return value


def nonnegative_float(name: str) -> Callable[[str], float]:
    """An argparse ``type`` for a finite number ``>= 0``.

    Parameters
    ----------
    name : str
        The option, as the user typed it.

    Returns
    -------
    callable
        Converts the text to a ``float`` or raises :class:`argparse.ArgumentTypeError`.

    Examples
    --------
    >>> nonnegative_float("--tolerance")("-1")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: --tolerance = -1.0: must be >= 0
    """

    def parse(text: str) -> float:
        value = _float(name, text)
        if value < 0:
            raise argparse.ArgumentTypeError(f"{name} = {value}: must be >= 0")
        return value

    return parse


def rate(name: str, *, lo: float, hi: float) -> Callable[[str], float]:
    """An argparse ``type`` for a yearly rate written as a fraction (0.05 for 5 %).

    A value above ``hi`` that would be plausible as a percentage is refused with the hint
    to divide by 100, so ``--interest-rate 5`` is never read as 500 %.

    Parameters
    ----------
    name : str
        The option, as the user typed it.
    lo, hi : float, keyword-only
        Inclusive bounds of a plausible rate, as fractions.

    Returns
    -------
    callable
        Converts the text to a ``float`` or raises :class:`argparse.ArgumentTypeError`.

    Examples
    --------
    >>> rate("--interest-rate", lo=-0.05, hi=0.25)("0.011")
    0.011
    >>> rate("--interest-rate", lo=-0.05, hi=0.25)("5")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: --interest-rate = 5.0: ... did you mean 5% = 0.05?
    """

    def parse(text: str) -> float:
        value = _float(name, text)
        if lo <= value <= hi:
            return value
        hint = ""
        if value > hi and lo <= value / 100 <= hi:
            hint = f"; did you mean {value:g}% = {value / 100:g}?"
        raise argparse.ArgumentTypeError(
            f"{name} = {value}: must be a fraction between {lo:g} and {hi:g}{hint}")

    return parse


def check_figure_path(name: str) -> Callable[[str], Path]:
    """An argparse ``type`` for a figure file: known suffix and an existing folder.

    Parameters
    ----------
    name : str
        The option, as the user typed it.

    Returns
    -------
    callable
        Converts the text to a :class:`~pathlib.Path` or raises
        :class:`argparse.ArgumentTypeError`.

    Examples
    --------
    >>> check_figure_path("--plot")("x.txt")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: --plot = 'x.txt': the file name must end in .png, .pdf, ...
    """

    def parse(text: str) -> Path:
        path = Path(text)
        if path.suffix.lower() not in FIGURE_SUFFIXES:
            kinds = ", ".join(FIGURE_SUFFIXES[:-1]) + f" or {FIGURE_SUFFIXES[-1]}"
            raise argparse.ArgumentTypeError(
                f"{name} = {text!r}: the file name must end in {kinds}")
        folder = path.parent if str(path.parent) else Path()
        if not folder.is_dir():
            raise argparse.ArgumentTypeError(
                f"{name} = {text!r}: the folder {str(folder)!r} does not exist")
        if path.is_dir():
            raise argparse.ArgumentTypeError(f"{name} = {text!r}: is a folder, not a file")
        return path

    return parse


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it onto ``path`` only on success.

    Parameters
    ----------
    path : pathlib.Path
        The file to (re)place.

    Yields
    ------
    pathlib.Path
        Where to write; it is removed if the block raises.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_file(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix,
                                dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    tmp = Path(name)
    mask = os.umask(0o022)
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)  # mkstemp makes 0600; the result gets the usual mode
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def replace_outputs(built: Path, out: Path, names: tuple[str, ...]) -> None:
    """Move each of ``names`` from the folder ``built`` into ``out``, replacing old copies.

    Every old entry is first renamed aside, then the new ones are renamed in, and only then
    are the old ones deleted; other files in ``out`` are left alone.  ``built`` and ``out``
    must be on one file system (``built`` is created inside ``out``).

    Parameters
    ----------
    built : pathlib.Path
        Folder holding the freshly written outputs.
    out : pathlib.Path
        The output folder.
    names : tuple of str
        Entries of ``built`` to move.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (out / "report.html").write_text("old")
    >>> new = out / ".new"; new.mkdir(); _ = (new / "report.html").write_text("new")
    >>> replace_outputs(new, out, ("report.html",))
    >>> (out / "report.html").read_text()
    'new'
    """
    aside = Path(tempfile.mkdtemp(prefix=".old-", dir=out))
    try:
        for name in names:
            if (out / name).exists():
                os.replace(out / name, aside / name)
        for name in names:
            os.replace(built / name, out / name)
    except OSError:
        for name in names:  # put the previous outputs back where nothing new arrived
            if (aside / name).exists() and not (out / name).exists():
                os.replace(aside / name, out / name)
        raise
    finally:
        shutil.rmtree(aside, ignore_errors=True)
