"""Monte Carlo ensembles of the fund: chunked, reproducible, bounded in memory.

:func:`monte_carlo` draws every stochastic driver with
:meth:`fund.stochastic.StochasticModel.simulate_drivers`, feeds them to the projection
core :func:`fund.projection.project_paths` and keeps what is asked for.  Its defaults
(fixed drivers, opening values, rules) are those of
:func:`fund.scenarios.expected_scenario` built on the same model, so the deterministic
projection is this ensemble's model with every shock at its mean.

Reproducibility
---------------
The paths are cut into fixed **blocks** of ``block_size`` paths.  Block ``b`` draws from
its own generator, the ``b``-th child of ``SeedSequence(seed).spawn(n_blocks)`` (for a
:class:`numpy.random.Generator` argument, its ``spawn``).  Path ``i`` therefore depends
only on ``(seed, block_size, i)``: the ensemble is the same for every ``chunk_size``
(chunks are whole numbers of blocks; a ``chunk_size`` that is not a multiple of
``block_size`` is rounded up), and the first ``n`` paths of a larger run with the same
seed and block size equal a run of ``n`` paths when ``n`` is a multiple of ``block_size``.

Memory
------
Working memory per chunk is about ``chunk_size * n_years * 8 bytes`` times ~40 arrays
(drivers, auxiliary paths and the projection's lines): ~100 MB for the default
``chunk_size = 2**16`` and five years.  What is kept:

* ``store="paths"`` (default): each quantity in ``keep`` as a float32 array
  ``(n_paths, n_years)`` — ``4 * n_paths * n_years * len(keep)`` bytes (200 MB for 10^7
  paths, 5 years, reserve only); quantiles are exact (of the float32 values).
* ``store="histogram"``: per quantity and year a histogram of ``bins`` bins plus under-
  and overflow, over a range set from the first chunk (its span widened by half on each
  side) — memory independent of ``n_paths``; quantiles are exact to within one bin width
  (``MonteCarloResult.resolution``), with the exact minimum and maximum kept for the
  tails.  Means, standard deviations and the share of paths whose reserve ever falls
  below ``floor`` are exact in both modes.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fund.errors import FundError, FundParameterError
from fund.processes._common import FloatArray, count
from fund.projection import FundPaths, project_paths
from fund.rules import CHINA_2024, FundRules
from fund.scenarios import _warn_horizon, expected_scenario
from fund.stochastic import STOCHASTIC_DRIVERS, StartState, StochasticModel, _check_model
from uicore.executors import Progress, map_blocks, resolve_executor, run_blocks

__all__ = ["MonteCarloResult", "monte_carlo"]

_DEFAULT_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
_AUX = ("gdp", "employment_urban", "employment_total", "replacement_rate")
_LINES = tuple(f for f in FundPaths.__dataclass_fields__ if f != "EXPENDITURE_LINES")


@dataclass(frozen=True)
class _Histogram:
    lo: FloatArray          # (n_q, n_years)
    width: FloatArray       # (n_q, n_years)
    counts: np.ndarray      # (n_q, n_years, bins + 2) int64; [0] underflow, [-1] overflow


@dataclass(frozen=True)
class MonteCarloResult:
    """An ensemble of fund projections.

    Attributes
    ----------
    years : tuple of int
        Projected years.
    n_paths : int
    quantities : tuple of str
        What was kept (projection lines such as ``reserve``, drivers such as ``covered``,
        auxiliary paths ``gdp``, ``employment_urban``, ``employment_total``,
        ``replacement_rate``).
    store : str
        ``"paths"`` or ``"histogram"``.
    mean, std : pandas.DataFrame
        Exact ensemble mean and standard deviation, year × quantity.
    floor, prob_below_floor : float or None
        Floor (亿元) for the reserve; ``prob_below_floor`` is the share of paths whose
        reserve is below it in at least one year (both None if no floor was given).
    seed_entropy : int or None
        Entropy of the root :class:`numpy.random.SeedSequence`: passing it as ``rng``
        re-creates the ensemble, also after ``rng=None`` (None for a Generator ``rng``).
    block_size, chunk_size : int
        Reproducibility unit and chunk actually used (see the module notes).
    notes : tuple of str
        What the yearly draws of the CIR drivers are: where ``exp(-kappa)`` is below
        1e-6 each year is an independent draw of the stationary gamma law and ``kappa`` is
        not identified by yearly data (:meth:`fund.CIR.draw_note`).

    Examples
    --------
    >>> res = monte_carlo(200, 2, rng=1, block_size=100, chunk_size=200)
    >>> res.years, res.n_paths, res.quantities
    ((2023, 2024), 200, ('reserve', 'income', 'expenditure'))
    """

    years: tuple[int, ...]
    n_paths: int
    quantities: tuple[str, ...]
    store: str
    mean: pd.DataFrame
    std: pd.DataFrame
    floor: float | None
    prob_below_floor: float | None
    seed_entropy: int | None
    block_size: int
    chunk_size: int
    notes: tuple[str, ...] = field(default=(), repr=False)
    _paths: Mapping[str, np.ndarray] | None = field(default=None, repr=False)
    _hist: _Histogram | None = field(default=None, repr=False)
    _extremes: tuple[FloatArray, FloatArray] | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        span = f"{self.years[0]}–{self.years[-1]}"
        below = "" if self.prob_below_floor is None else (
            f", P(reserve < {self.floor:g}) = {self.prob_below_floor:.4g}")
        return (f"MonteCarloResult(n_paths={self.n_paths}, years={span}, "
                f"quantities={self.quantities}, store={self.store!r}{below})")

    @property
    def paths(self) -> Mapping[str, np.ndarray]:
        """Quantity → float32 array ``(n_paths, n_years)`` (``store="paths"`` only).

        Raises
        ------
        fund.errors.FundError
            The run kept histograms, not paths.
        """
        if self._paths is None:
            raise FundError("paths were not stored (store='histogram'); re-run with "
                            "store='paths' to keep them")
        return self._paths

    @property
    def resolution(self) -> pd.DataFrame:
        """Largest quantile error, year × quantity.

        0 for stored paths, one bin width for histograms.
        """
        if self._hist is None:
            return pd.DataFrame(0.0, index=self._year_index(), columns=list(self.quantities))
        return pd.DataFrame(self._hist.width.T, index=self._year_index(),
                            columns=list(self.quantities))

    def quantiles(self, q: Iterable[float] = _DEFAULT_QUANTILES,
                  quantities: str | Sequence[str] | None = None) -> pd.DataFrame:
        """Tidy quantiles: columns ``quantity, year, quantile, value``.

        Parameters
        ----------
        q : iterable of float
            Levels in [0, 1] (default 0.05, 0.25, 0.5, 0.75, 0.95).
        quantities : str or sequence of str, optional
            Which kept quantities (default all).

        Returns
        -------
        pandas.DataFrame
            One row per quantity, level and year.

        Raises
        ------
        fund.errors.FundParameterError
            A level outside [0, 1] or a quantity that was not kept.

        Examples
        --------
        >>> res = monte_carlo(200, 2, rng=1, block_size=100, chunk_size=200)
        >>> res.quantiles([0.5], "reserve").columns.tolist()
        ['quantity', 'year', 'quantile', 'value']
        """
        qs = np.asarray(list(q), dtype=float)
        if qs.size == 0 or np.any(~np.isfinite(qs)) or np.any((qs < 0) | (qs > 1)):
            raise FundParameterError("q", list(q) if not isinstance(q, np.ndarray) else q,
                                     "levels must lie in [0, 1]")
        names = self._names(quantities)
        rows = []
        for name in names:
            j = self.quantities.index(name)
            values = self._quantile_values(j, qs)          # (len(qs), n_years)
            for k, level in enumerate(qs):
                for t, year in enumerate(self.years):
                    rows.append((name, year, float(level), float(values[k, t])))
        return pd.DataFrame(rows, columns=["quantity", "year", "quantile", "value"])

    def quantile_table(self, quantity: str = "reserve",
                       q: Iterable[float] = _DEFAULT_QUANTILES) -> pd.DataFrame:
        """Wide quantiles of one quantity: index year, one column per level (for fan charts).

        Parameters
        ----------
        quantity : str
            A kept quantity.
        q : iterable of float
            Levels in [0, 1].

        Returns
        -------
        pandas.DataFrame
            Index ``year``, one column per level.

        Raises
        ------
        fund.errors.FundParameterError
            As :meth:`quantiles`.

        Examples
        --------
        >>> res = monte_carlo(200, 2, rng=1, block_size=100, chunk_size=200)
        >>> res.quantile_table("reserve", q=[0.1, 0.9]).columns.tolist()
        [0.1, 0.9]
        """
        tidy = self.quantiles(q, quantity)
        table = tidy.pivot(index="year", columns="quantile", values="value")
        table.columns.name = "quantile"
        return table

    def to_frame(self) -> pd.DataFrame:
        """Tidy summary: ``quantity, year, mean, std`` and the default quantiles.

        The quantiles are columns ``q05 .. q95``.

        Returns
        -------
        pandas.DataFrame
            One row per quantity and year.

        Examples
        --------
        >>> res = monte_carlo(200, 2, rng=1, block_size=100, chunk_size=200)
        >>> res.to_frame().columns.tolist()
        ['quantity', 'year', 'mean', 'std', 'q05', 'q25', 'q50', 'q75', 'q95']
        """
        tidy = self.quantiles()
        wide = tidy.pivot_table(index=["quantity", "year"], columns="quantile",
                                values="value")
        wide.columns = [f"q{round(100 * c):02d}" for c in wide.columns]
        mean = self.mean.stack().rename("mean")
        std = self.std.stack().rename("std")
        mean.index = mean.index.set_names(["year", "quantity"])
        std.index = std.index.set_names(["year", "quantity"])
        stats = pd.concat([mean, std], axis=1).reorder_levels(["quantity", "year"])
        return stats.join(wide).reset_index()

    def paths_frame(self, quantity: str = "reserve", *, max_paths: int | None = 1000
                    ) -> pd.DataFrame:
        """Tidy frame ``path, year, value`` of the stored paths of one quantity.

        The first ``max_paths`` paths; ``None`` for all (large).

        Parameters
        ----------
        quantity : str
            A kept quantity.
        max_paths : int or None, keyword-only
            How many paths (the first ones); ``None`` for all.

        Returns
        -------
        pandas.DataFrame
            ``max_paths * n_years`` rows.

        Raises
        ------
        fund.errors.FundError
            The run kept histograms, not paths.
        fund.errors.FundParameterError
            A quantity that was not kept or a bad ``max_paths``.

        Examples
        --------
        >>> res = monte_carlo(200, 2, rng=1, block_size=100, chunk_size=200)
        >>> res.paths_frame(max_paths=2).shape
        (4, 3)
        """
        arr = self.paths[self._names(quantity)[0]]
        if max_paths is not None:
            arr = arr[: count("max_paths", max_paths)]
        n = arr.shape[0]
        return pd.DataFrame({
            "path": np.repeat(np.arange(n), len(self.years)),
            "year": np.tile(np.asarray(self.years), n),
            "value": arr.astype(float).ravel(),
        })

    # ------------------------------------------------------------------ private
    def _year_index(self) -> pd.Index:
        return pd.Index(list(self.years), name="year")

    def _names(self, quantities: str | Sequence[str] | None) -> list[str]:
        names = (list(self.quantities) if quantities is None
                 else [quantities] if isinstance(quantities, str) else list(quantities))
        for name in names:
            if name not in self.quantities:
                raise FundParameterError("quantities", name,
                                         f"was not kept; kept: {', '.join(self.quantities)}")
        return names

    def _quantile_values(self, j: int, qs: FloatArray) -> FloatArray:
        if self._paths is not None:
            arr = self._paths[self.quantities[j]]
            return np.asarray(np.quantile(arr, qs, axis=0), dtype=float)
        assert self._hist is not None and self._extremes is not None  # by construction
        return _hist_quantiles(self._hist.counts[j], self._hist.lo[j], self._hist.width[j],
                               self._extremes[0][j], self._extremes[1][j], qs)


def monte_carlo(  # noqa: PLR0913 the simulation's settings, keyword-only, each documented
    n_paths: int,
    n_years: int = 5,
    *,
    model: StochasticModel | None = None,
    start: StartState | None = None,
    fixed: Mapping[str, Any] | None = None,
    opening: Mapping[str, float] | None = None,
    rules: FundRules = CHINA_2024,
    rng: np.random.Generator | np.random.SeedSequence | int | None = None,
    keep: Sequence[str] = ("reserve", "income", "expenditure"),
    store: str = "paths",
    floor: float | None = None,
    chunk_size: int = 2**16,
    block_size: int = 2**14,
    bins: int = 4096,
    executor: Any = None,
    progress: bool = False,
) -> MonteCarloResult:
    """Simulate ``n_paths`` projections of the fund over ``n_years``.

    Parameters
    ----------
    n_paths, n_years : int
        Ensemble size (>= 1) and horizon (>= 1 year after the start year).
    model : StochasticModel, optional
        The processes (default :meth:`StochasticModel.printed`).
    start : StartState, optional
        Start values (default :meth:`StartState.from_data` on Qinghai).
    fixed : mapping, optional
        The non-simulated drivers of :func:`fund.projection.project_paths` (scalars or
        ``(n_years,)`` arrays).  Default: those of
        :func:`fund.scenarios.expected_scenario` (collection rate, refund rates, other
        spending, interest, death rate).
    opening : mapping, optional
        ``opening_reserve``, ``opening_income``, ``opening_medical``, ``opening_skills``,
        ``opening_expenditure``, ``income_slope``, ``income_intercept`` for
        ``project_paths`` (default: the expected scenario's, with the one default opening
        reserve :func:`fund.scenarios.default_opening_reserve`).
    rules : FundRules, default :data:`fund.rules.CHINA_2024`
        The fund's rules, applied path by path (coverage gate, deficit rule).
    rng : Generator, SeedSequence, int or None, keyword-only
        Root of the per-block generators (see the module notes).
    keep : sequence of str
        Quantities to keep: projection lines (``reserve``, ``income``, ``expenditure``,
        ``benefits``, ``refund``, ...), drivers (``covered``, ``wage``, ...) or auxiliary
        paths (``gdp``, ``employment_urban``, ``employment_total``, ``replacement_rate``).
    store : {"paths", "histogram"}
        Keep float32 paths (exact quantiles) or bounded-memory histograms.
    floor : float, optional
        Reserve floor (亿元) for ``prob_below_floor``.
    chunk_size, block_size : int
        Paths per chunk (memory) and per generator block (reproducibility).
    bins : int
        Histogram bins per quantity and year (``store="histogram"``).
    executor : None, int or distributed.Client
        Where the chunks run (:mod:`uicore.executors`): serial (default), that many local
        processes, or a Dask cluster.  The ensemble and every statistic are identical, bit
        for bit, whatever the executor: each chunk is a pure function of its blocks'
        seeds, and the moments are added in chunk order.
    progress : bool
        Show a progress bar on stderr (with the Dask dashboard link on a cluster).

    Returns
    -------
    MonteCarloResult

    Raises
    ------
    fund.errors.FundParameterError
        Bad counts, unknown ``keep`` names or ``store``, a non-finite floor.
    uicore.errors.ParameterError
        A bad ``executor``.
    uicore.executors.ExecutorError
        The executor cannot run the work (e.g. its worker pool keeps dying).

    Examples
    --------
    >>> res = monte_carlo(2000, 3, rng=1, block_size=500, chunk_size=1000)
    >>> res.quantile_table("reserve").shape
    (3, 5)
    >>> bool((res.quantile_table("reserve").diff(axis=1).iloc[:, 1:] >= 0).all().all())
    True
    """
    m = count("n_paths", n_paths)
    n = count("n_years", n_years)
    bsize = count("block_size", block_size)
    csize = count("chunk_size", chunk_size)
    csize = bsize * math.ceil(csize / bsize)
    nbins = count("bins", bins, minimum=2)
    if store not in ("paths", "histogram"):
        raise FundParameterError("store", store, "must be 'paths' or 'histogram'")
    keep_t = tuple(keep)
    known = set(_LINES) | set(STOCHASTIC_DRIVERS) | set(_AUX)
    for name in keep_t:
        if name not in known:
            raise FundParameterError("keep", name, f"unknown quantity; known: {sorted(known)}")
    if not keep_t:
        raise FundParameterError("keep", keep_t, "must name at least one quantity")
    if floor is not None and not math.isfinite(float(floor)):
        raise FundParameterError("floor", floor, "must be finite")
    mdl = StochasticModel.printed() if model is None else _check_model(model)
    st = StartState.from_data() if start is None else start
    if not isinstance(rules, FundRules):
        raise FundParameterError("rules", rules, "must be a fund.rules.FundRules")
    fixed_d, opening_d = _defaults(n, fixed, opening, mdl)
    children, entropy = _spawn(rng, math.ceil(m / bsize))
    years = tuple(range(st.year + 1, st.year + 1 + n))

    recipe = _Recipe(mdl, st, n, bsize, fixed_d, opening_d | {"rules": rules}, keep_t, store,
                     nbins, None if floor is None else float(floor))
    chunks = [(c0, min(c0 + csize, m), children[c0 // bsize: -(-min(c0 + csize, m) // bsize)])
              for c0 in range(0, m, csize)]
    acc = _Accumulator(keep_t, m, n, store, floor)
    ex, owned = resolve_executor(executor)
    try:
        # the first chunk fixes the histogram range; the rest run anywhere, in any order
        first = run_blocks(_chunk_partial, chunks[:1], shared=recipe, executor=ex)[0]
        acc.add(0, first)
        recipe = dataclasses.replace(recipe, hist_range=first.hist_range)
        for i, part in map_blocks(_chunk_partial, chunks[1:], shared=recipe, executor=ex,
                                  progress=Progress("Monte Carlo") if progress else None):
            acc.add(i + 1, part)
    finally:
        if owned:
            ex.close()
    return dataclasses.replace(acc.result(years, csize, bsize, entropy),
                               notes=_draw_notes(mdl))


def _draw_notes(model: StochasticModel) -> tuple[str, ...]:
    """One sentence per CIR driver whose yearly draws carry no memory."""
    cirs = {"recipient_ratio": model.recipient_ratio, "months_paid": model.months_paid,
            "non_eligible_share": model.non_eligible_share,
            "replacement_rate": model.benefit.replacement,
            "employment_urban intercept": model.employment_urban.intercept,
            "employment_total intercept": model.employment_total.intercept}
    return tuple(note for note in (p.draw_note(k) for k, p in cirs.items()) if note)


# ---------------------------------------------------------------------- private core
def _spawn(rng: Any, n_blocks: int
           ) -> tuple[list[np.random.SeedSequence | np.random.Generator], int | None]:
    """Per-block children of the root seed, and the root's entropy (None for a Generator)."""
    if isinstance(rng, np.random.Generator):
        return list(rng.spawn(n_blocks)), None
    if isinstance(rng, bool) or not (rng is None or isinstance(rng, int | np.integer |
                                                                  np.random.SeedSequence)):
        raise FundParameterError("rng", rng, "must be a numpy Generator, SeedSequence, "
                                 "int or None")
    if isinstance(rng, int | np.integer) and rng < 0:
        raise FundParameterError("rng", rng, "an integer seed must be >= 0")
    root = rng if isinstance(rng, np.random.SeedSequence) else np.random.SeedSequence(rng)
    entropy = root.entropy if isinstance(root.entropy, int) else None
    return list(root.spawn(n_blocks)), entropy


def _defaults(n: int, fixed: Mapping[str, Any] | None, opening: Mapping[str, float] | None,
              model: StochasticModel) -> tuple[dict[str, Any], dict[str, Any]]:

    if fixed is None or opening is None:
        scen = expected_scenario(n, model=model)
        if fixed is None:
            fixed = {c: scen.drivers[c].to_numpy(dtype=float) for c in scen.drivers.columns
                     if c not in STOCHASTIC_DRIVERS}
        if opening is None:
            opening = dict(scen.opening)
    else:
        _warn_horizon(n)
    bad = sorted(set(fixed) & set(STOCHASTIC_DRIVERS))
    if bad:
        raise FundParameterError("fixed", bad, "these drivers are simulated by the model")
    return dict(fixed), dict(opening)


def _simulate_chunk(model: StochasticModel, start: StartState, n: int, c0: int, c1: int,  # noqa: PLR0913, PLR0917 one chunk's recipe, unpacked by _chunk_partial
                    bsize: int, children: Sequence[Any], fixed: Mapping[str, Any],
                    opening: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Paths ``c0 .. c1 - 1``; ``children`` are the generators of this chunk's blocks."""
    parts: list[dict[str, np.ndarray]] = []
    for b0 in range(c0, c1, bsize):
        b1 = min(b0 + bsize, c1)
        child = children[(b0 - c0) // bsize]
        gen = child if isinstance(child, np.random.Generator) else np.random.default_rng(child)
        parts.append(model.simulate_drivers(start, n, b1 - b0, rng=gen))
    drivers = {k: np.concatenate([p[k] for p in parts]) if len(parts) > 1 else parts[0][k]
               for k in parts[0]}
    proj_drivers = {k: drivers[k] for k in STOCHASTIC_DRIVERS} | dict(fixed)
    lines = project_paths(proj_drivers, validate=False, **opening).as_dict()
    return {**drivers, **lines}


@dataclass(frozen=True)
class _Recipe:
    """What a worker needs to simulate and summarise a chunk (a few kB pickled)."""

    model: StochasticModel
    start: StartState
    n: int
    bsize: int
    fixed: Mapping[str, Any]
    opening: Mapping[str, Any]
    keep: tuple[str, ...]
    store: str
    bins: int
    floor: float | None
    hist_range: tuple[FloatArray, FloatArray] | None = None   # (lo, width), (n_q, n)


@dataclass(frozen=True)
class _Partial:
    """One chunk's contribution: exact moments, extremes, and paths or histogram counts."""

    c0: int
    c1: int
    sum: FloatArray            # (n_q, n): chunk mean * chunk size
    sumsq: FloatArray          # (n_q, n): centred squares + size * mean**2
    vmin: FloatArray
    vmax: FloatArray
    below: int
    paths: dict[str, np.ndarray] | None
    counts: np.ndarray | None  # (n_q, n, bins + 2) int64
    hist_range: tuple[FloatArray, FloatArray] | None


def _chunk_partial(recipe: _Recipe, chunk: tuple[int, int, Sequence[Any]]) -> _Partial:
    """Simulate one chunk and summarise it (runs on a worker)."""
    c0, c1, children = chunk
    r = recipe
    data = _simulate_chunk(r.model, r.start, r.n, c0, c1, r.bsize, children, r.fixed,
                           r.opening)
    nq = len(r.keep)
    sums, sumsq = np.zeros((nq, r.n)), np.zeros((nq, r.n))
    vmin, vmax = np.empty((nq, r.n)), np.empty((nq, r.n))
    values = []
    for j, name in enumerate(r.keep):
        v = np.broadcast_to(data[name], (c1 - c0, r.n))
        if not np.all(np.isfinite(v)):
            raise FundError(f"{name}: the simulation produced a non-finite value "
                            f"(paths {c0}..{c1 - 1})")
        mean = v.mean(axis=0)
        sums[j] = mean * (c1 - c0)
        sumsq[j] = ((v - mean) ** 2).sum(axis=0) + (c1 - c0) * mean**2
        vmin[j], vmax[j] = v.min(axis=0), v.max(axis=0)
        values.append(v)
    below = (0 if r.floor is None
             else int(np.count_nonzero((data["reserve"] < r.floor).any(axis=-1))))
    if r.store == "paths":
        paths = {name: v.astype(np.float32) for name, v in zip(r.keep, values, strict=True)}
        return _Partial(c0, c1, sums, sumsq, vmin, vmax, below, paths, None, None)
    hist_range = r.hist_range
    if hist_range is None:  # the first chunk: its span widened by half on each side
        span = vmax - vmin
        span = np.where(span > 0, span, np.maximum(np.abs(vmax), 1.0))
        hist_range = (vmin - 0.5 * span, 2.0 * span / r.bins)
    counts = np.stack([_bin(v, hist_range[0][j], hist_range[1][j], r.bins)
                       for j, v in enumerate(values)])
    return _Partial(c0, c1, sums, sumsq, vmin, vmax, below, None, counts, hist_range)


def _bin(v: np.ndarray, lo: FloatArray, width: FloatArray, bins: int) -> np.ndarray:
    """Per-year counts ``(n, bins + 2)`` of ``v`` ``(paths, n)``; [0] under-, [-1] overflow."""
    n = v.shape[1]
    idx = np.floor((v - lo) / width).astype(np.int64) + 1
    np.clip(idx, 0, bins + 1, out=idx)
    flat = idx + (bins + 2) * np.arange(n)[None, :]
    return np.bincount(flat.ravel(), minlength=n * (bins + 2)).reshape(n, bins + 2)


class _Accumulator:
    """Merges chunk partials.

    Histogram counts (integers) and extremes merge as they arrive; the floating-point moments
    are added in chunk order at the end, so the result does not depend on which worker
    finished first.
    """

    def __init__(self, keep: tuple[str, ...], m: int, n: int, store: str,
                 floor: float | None) -> None:
        self.keep, self.m, self.n, self.store = keep, m, n, store
        self.floor = None if floor is None else float(floor)
        self.moments: dict[int, tuple[FloatArray, FloatArray]] = {}
        self.below = 0
        self.paths = ({k: np.empty((m, n), dtype=np.float32) for k in keep}
                      if store == "paths" else None)
        self.hist: _Histogram | None = None
        self.vmin = np.full((len(keep), n), np.inf)
        self.vmax = np.full((len(keep), n), -np.inf)

    def add(self, index: int, part: _Partial) -> None:
        if index in self.moments:
            raise FundError(f"chunk {index} was merged twice")  # never double-count
        self.moments[index] = (part.sum, part.sumsq)
        self.vmin = np.minimum(self.vmin, part.vmin)
        self.vmax = np.maximum(self.vmax, part.vmax)
        self.below += part.below
        if self.paths is not None and part.paths is not None:
            for name, v in part.paths.items():
                self.paths[name][part.c0:part.c1] = v
        if part.counts is not None and part.hist_range is not None:
            if self.hist is None:
                lo, width = part.hist_range
                self.hist = _Histogram(lo, width, np.zeros_like(part.counts))
            self.hist.counts[...] += part.counts

    def result(self, years: tuple[int, ...], csize: int, bsize: int, entropy: int | None
               ) -> MonteCarloResult:
        total, totalsq = np.zeros((len(self.keep), self.n)), np.zeros((len(self.keep), self.n))
        for i in sorted(self.moments):
            total += self.moments[i][0]
            totalsq += self.moments[i][1]
        mean = total / self.m
        var = np.maximum(totalsq / self.m - mean**2, 0.0) * (self.m / max(self.m - 1, 1))
        idx = pd.Index(list(years), name="year")
        return MonteCarloResult(
            years=years, n_paths=self.m, quantities=self.keep, store=self.store,
            mean=pd.DataFrame(mean.T, index=idx, columns=list(self.keep)),
            std=pd.DataFrame(np.sqrt(var).T, index=idx, columns=list(self.keep)),
            floor=self.floor,
            prob_below_floor=None if self.floor is None else self.below / self.m,
            seed_entropy=entropy, block_size=bsize, chunk_size=csize,
            _paths=self.paths, _hist=self.hist, _extremes=(self.vmin, self.vmax),
        )


def _hist_quantiles(counts: np.ndarray, lo: FloatArray, width: FloatArray, vmin: FloatArray,
                    vmax: FloatArray, qs: FloatArray) -> FloatArray:
    """Quantiles from per-year histograms with linear interpolation inside a bin.

    The under/overflow bins interpolate between the exact extreme and the histogram range.
    """
    n_years, nb = counts.shape
    out = np.empty((qs.size, n_years))
    for t in range(n_years):
        c = counts[t].astype(float)
        total = c.sum()
        cum = np.cumsum(c)
        edges_lo = np.concatenate([[vmin[t]], lo[t] + width[t] * np.arange(nb - 2),
                                   [lo[t] + width[t] * (nb - 2)]])
        edges_hi = np.concatenate([[lo[t]], lo[t] + width[t] * np.arange(1, nb - 1),
                                   [vmax[t]]])
        for k, q in enumerate(qs):
            target = q * total
            b = int(np.searchsorted(cum, target, side="left"))
            b = min(b, nb - 1)
            while c[b] == 0 and b < nb - 1:
                b += 1
            before = cum[b] - c[b]
            frac = 0.0 if c[b] == 0 else (target - before) / c[b]
            val = edges_lo[b] + min(max(frac, 0.0), 1.0) * (edges_hi[b] - edges_lo[b])
            out[k, t] = min(max(val, vmin[t]), vmax[t])
    return out
