"""Tests of fund.CIR: density, fitting, exact simulation, moments, input checks."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, special, stats

import fund
from fund.errors import FitError, FundParameterError
from fund.processes.cir import CIR, IdentificationWarning
from fund.processes.cir_fit import CIRFit, at_kappa_bound
from tests.fund.strategies import cir_params, non_positive, states, time_steps


def mixture_logpdf(y: float, x: float, dt: float, kappa: float, theta: float,
                   sigma: float) -> float:
    """CIR transition log-density written out independently of the module.

    2c Y | x is noncentral chi-square = a Poisson(lambda/2) mixture of central chi-squares
    with d + 2j degrees of freedom (Johnson, Kotz & Balakrishnan, ch. 29), summed in log space.
    """
    c = 2 * kappa / (sigma**2 * (1 - math.exp(-kappa * dt)))
    d = 4 * kappa * theta / sigma**2
    lam = 2 * c * x * math.exp(-kappa * dt)
    jmax = int(lam / 2 + 30 * math.sqrt(lam / 2 + 1) + 100)
    j = np.arange(jmax)
    terms = stats.poisson.logpmf(j, lam / 2) + stats.chi2.logpdf(2 * c * y, d + 2 * j)
    return math.log(2 * c) + float(special.logsumexp(terms))


def test_public_name() -> None:
    assert fund.CIR is CIR
    p = fund.CIR(kappa=1.5, theta=0.3, sigma=0.2)
    assert (p.kappa, p.theta, p.sigma) == (1.5, 0.3, 0.2)


@pytest.mark.parametrize(
    ("params", "x_prev", "x_next", "dt"),
    [
        ((0.8, 0.05, 0.10), 0.04, 0.06, 0.5),        # textbook short rate
        ((0.3, 1.00, 0.90), 1.20, 0.40, 1.0),        # Feller violated (q < 0)
        ((2.0, 0.20, 0.30), 0.001, 0.50, 0.25),      # far tail
        ((17.7954709, 3.6504936 / 17.7954709, 0.3282777), 0.2, 0.21, 1.0),  # seed (2.23)
        ((17.608, 27.66039 / 17.608, 0.4897736), 1.84, 1.46, 1.0),        # seed (2.26)
        ((12.461509, 221.826544 / 12.461509, 0.372314), 17.9, 17.7, 1.0),   # seed (2.19)
    ],
)
def test_logpdf_equals_poisson_mixture_of_chi_squares(params: tuple[float, float, float],
                                                      x_prev: float, x_next: float,
                                                      dt: float) -> None:
    p = CIR(*params)
    expected = mixture_logpdf(x_next, x_prev, dt, *params)
    assert p.logpdf(x_next, x_prev, dt) == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_logpdf_matches_scipy_ncx2_vectorised() -> None:
    p = CIR(1.2, 0.5, 0.4)
    y = np.linspace(0.05, 2.0, 40)
    x = np.linspace(0.1, 1.5, 40)
    dt = 0.7
    c = 2 * 1.2 / (0.16 * (1 - np.exp(-1.2 * dt)))
    df, nc = 4 * 1.2 * 0.5 / 0.16, 2 * c * x * np.exp(-1.2 * dt)
    ref = np.log(2 * c) + stats.ncx2.logpdf(2 * c * y, df, nc)
    np.testing.assert_allclose(p.logpdf(y, x, dt), ref, rtol=1e-10)
    # broadcasting: one x_prev against many x_next
    assert p.logpdf(y, 0.3, dt).shape == (40,)


@pytest.mark.parametrize(("x0", "dt"), [(0.1, 0.25), (1.0, 1.0), (0.0, 0.5)])
def test_density_integrates_to_one_and_has_closed_form_moments(x0: float, dt: float) -> None:
    p = CIR(1.5, 0.4, 0.5)

    def f(y: float) -> float:
        return float(p.pdf(y, x0, dt))

    mass = integrate.quad(f, 0, np.inf, limit=200)[0]
    m1 = integrate.quad(lambda y: y * f(y), 0, np.inf, limit=200)[0]
    m2 = integrate.quad(lambda y: y * y * f(y), 0, np.inf, limit=200)[0]
    assert mass == pytest.approx(1.0, abs=1e-7)
    assert m1 == pytest.approx(p.mean(x0, dt), rel=1e-7)
    assert m2 - m1**2 == pytest.approx(p.variance(x0, dt), rel=1e-6)


def test_logpdf_at_zero() -> None:
    feller = CIR(2.0, 0.5, 0.3)  # q > 0: density vanishes at 0
    assert feller.logpdf(0.0, 0.3, 1.0) == -np.inf
    # from x = 0 the law is gamma(q + 1, scale 1/c)
    c = 2 * 2.0 / (0.09 * (1 - np.exp(-2.0)))
    q = 2 * 2.0 * 0.5 / 0.09 - 1
    expected = stats.gamma.logpdf(0.4, q + 1, scale=1 / c)
    assert feller.logpdf(0.4, 0.0, 1.0) == pytest.approx(expected)


@settings(max_examples=200, deadline=None)
@given(p=cir_params(), x=states, y=states, dt=time_steps)
def test_logpdf_is_finite_and_vectorisation_is_elementwise(p: CIR, x: float, y: float,
                                                           dt: float) -> None:
    one = p.logpdf(y, x, dt)
    assert math.isfinite(one)
    many = p.logpdf(np.array([y, y / 2 + 1e-3]), np.array([x, x]), dt)
    assert many[0] == pytest.approx(one, rel=1e-12, abs=1e-12)


def test_fit_recovers_known_parameters() -> None:
    true = CIR(kappa=0.6, theta=0.05, sigma=0.08)
    path = true.simulate(0.05, n_steps=3000, n_paths=1, dt=1 / 12, rng=20261125)[0]
    fit = CIR.fit(path, dt=1 / 12)
    assert fit.converged and not fit.kappa_at_bound and fit.kappa_identified
    for name in ("kappa", "theta", "sigma"):
        est, se = fit.params[name], fit.std_errors[name]
        assert 0 < se < abs(est)
        assert abs(est - getattr(true, name)) < 4 * se, (name, est, se)
    assert fit.process == CIR(*fit.params)
    assert fit.feller is fit.process.feller
    assert fit.loglik == pytest.approx(fit.process.loglik(path, dt=1 / 12))
    # the maximum beats the truth and the OLS start
    assert fit.loglik >= true.loglik(path, dt=1 / 12)
    assert fit.loglik >= CIR(*fit.start).loglik(path, dt=1 / 12)


def test_fit_standard_errors_are_inverse_hessian() -> None:
    true = CIR(1.0, 0.3, 0.2)
    path = true.simulate(0.3, n_steps=800, n_paths=1, dt=0.25, rng=5)[0]
    fit = CIR.fit(path, dt=0.25)
    # second derivative of the log-likelihood in theta alone, by a wide finite difference
    h = 1e-3 * fit.params["theta"]
    k, th, s = fit.params

    def ll(t: float) -> float:
        return CIR(k, t, s).loglik(path, dt=0.25)

    d2 = (ll(th + h) - 2 * ll(th) + ll(th - h)) / h**2
    # the marginal se is at least the conditional one 1/sqrt(-d2)
    assert fit.std_errors["theta"] >= (1 / math.sqrt(-d2)) * 0.999
    lo, hi = fit.conf_int(0.95).loc["theta"]
    assert lo < th < hi
    assert set(fit.to_frame().columns) == {"estimate", "std_error", "ols_start"}


def test_likelihood_is_flat_along_the_stationary_ridge() -> None:
    # yearly data with fast reversion: exp(-kappa) ~ 0, so the likelihood only sees the
    # stationary gamma law (theta, theta*sigma^2/(2 kappa)); kappa itself is not identified
    x = np.array([1.84, 1.46, 1.51, 1.74, 1.58])
    theta, stat_var = 1.57, 0.0107
    lls = []
    for kappa in (20.0, 40.0, 80.0):
        sigma = math.sqrt(2 * kappa * stat_var / theta)
        lls.append(CIR(kappa, theta, sigma).loglik(x))
    assert max(lls) - min(lls) < 1e-6
    assert CIR(2.0, theta, math.sqrt(4 * stat_var / theta)).loglik(x) < lls[0] - 0.01


def test_fit_reports_kappa_at_bound() -> None:
    x = np.array([1.84, 1.46, 1.51, 1.74, 1.58])
    with pytest.warns(IdentificationWarning, match="kappa_max = 10 "):
        fit = CIR.fit(x, kappa_max=10.0)
    assert fit.kappa_at_bound
    assert fit.params["kappa"] == pytest.approx(10.0)
    assert fit.std_errors["kappa"] == np.inf
    assert np.isfinite(fit.std_errors["theta"])
    assert "kappa_at_bound" in repr(fit)


def test_simulated_moments_match_closed_form() -> None:
    p = CIR(kappa=1.5, theta=0.2, sigma=0.5)
    paths = p.simulate(0.05, n_steps=4, n_paths=200_000, dt=0.5, rng=11)
    assert paths.shape == (200_000, 5)
    assert np.all(paths[:, 0] == 0.05)
    t = 0.5 * np.arange(5)
    mean, var = p.mean(0.05, t), p.variance(0.05, t)
    se_mean = np.sqrt(var[1:] / paths.shape[0])
    assert np.all(np.abs(paths[:, 1:].mean(axis=0) - mean[1:]) < 5 * se_mean)
    np.testing.assert_allclose(paths[:, 1:].var(axis=0), var[1:], rtol=0.03)


def test_simulation_never_negative_when_feller_fails() -> None:
    p = CIR(kappa=0.5, theta=0.1, sigma=1.0)
    assert not p.feller
    paths = p.simulate(0.01, n_steps=50, n_paths=2000, dt=0.1, rng=2)
    assert np.all(paths >= 0)
    assert np.any(paths[:, 1:] == 0) or paths.min() < 1e-6  # it does hit (near) zero


def test_simulate_reproducible_and_vector_start() -> None:
    p = CIR(2.0, 0.3, 0.2)
    a = p.simulate(0.3, 5, 10, 1.0, rng=42)
    b = p.simulate(0.3, 5, 10, 1.0, rng=np.random.default_rng(42))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, p.simulate(0.3, 5, 10, 1.0, rng=43))
    x0 = np.linspace(0.1, 1.0, 10)
    np.testing.assert_array_equal(p.simulate(x0, 2, 10, rng=1)[:, 0], x0)


def test_forecast_is_mean_path_and_feller_flag() -> None:
    p = CIR(2.0, 0.3, 0.2)
    np.testing.assert_allclose(p.forecast(1.0, 3), 0.3 + 0.7 * np.exp(-2.0 * np.arange(4)))
    assert CIR(1.0, 0.5, 1.0).feller is True       # 2*1*0.5 == 1**2: boundary counts
    assert CIR(1.0, 0.5, 1.01).feller is False


@pytest.mark.parametrize("name", ["kappa", "theta", "sigma"])
@settings(max_examples=25, deadline=None)
@given(bad=non_positive)
def test_bad_parameters_raise(name: str, bad: float) -> None:
    kwargs = {"kappa": 1.0, "theta": 0.5, "sigma": 0.2, name: bad}
    with pytest.raises(FundParameterError, match=rf"^{name} = .*must be"):
        CIR(**kwargs)


def test_bad_inputs_raise_named_errors() -> None:
    p = CIR(1.0, 0.5, 0.2)
    with pytest.raises(FundParameterError, match=r"x_prev = -0\.1: must be >= 0"):
        p.logpdf(0.2, -0.1, 1.0)
    with pytest.raises(FundParameterError, match=r"x_next = -1\.0: must be >= 0"):
        p.logpdf([0.2, -1.0], 0.1, 1.0)
    with pytest.raises(FundParameterError, match=r"dt = 0\.0: must be > 0"):
        p.logpdf(0.2, 0.1, 0.0)
    with pytest.raises(FundParameterError, match=r"x0 = -1(\.0)?: must be >= 0"):
        p.simulate(-1, 3, 2, rng=0)
    with pytest.raises(FundParameterError, match=r"n_paths = 0: must be >= 1"):
        p.simulate(0.5, 3, 0, rng=0)
    with pytest.raises(FundParameterError, match=r"dt = -1\.0: must be > 0"):
        p.simulate(0.5, 3, 2, dt=-1.0, rng=0)
    with pytest.raises(FundParameterError, match=r"^rng = 'abc'"):
        p.simulate(0.5, 3, 2, rng="abc")  # type: ignore[arg-type]  # wrong type on purpose
    with pytest.raises(FitError, match=r"more transitions than the 3 parameters \(at least 5 "
                       r"observations\), got 4"):
        CIR.fit([0.1, 0.2, 0.3, 0.25])
    with pytest.raises(FitError, match=r"observation 1 is -0\.2"):
        CIR.fit([0.1, -0.2, 0.3, 0.4, 0.2])
    with pytest.raises(FitError, match="nothing to fit"):
        CIR.fit([0.3] * 6)
    with pytest.raises(FundParameterError, match="dt = 0: must be > 0"):
        CIR.fit([0.1, 0.2, 0.3, 0.25, 0.2], dt=0)


@settings(max_examples=50, deadline=None)
@given(p=cir_params(), x0=states, t=st.floats(0.0, 50.0))
def test_moments_limits(p: CIR, x0: float, t: float) -> None:
    # mean between x0 and theta; variance nonnegative; t=0 is degenerate
    m = p.mean(x0, t)
    assert min(x0, p.theta) - 1e-12 <= m <= max(x0, p.theta) + 1e-12
    assert p.variance(x0, t) >= 0
    assert p.variance(x0, 0.0) == 0.0


@settings(max_examples=150, deadline=None)
@given(p=cir_params(), x=states, y=states, dt=time_steps)
def test_logpdf_equals_mixture_on_random_parameters(p: CIR, x: float, y: float, dt: float) -> None:
    from hypothesis import assume

    c = 2 * p.kappa / (p.sigma**2 * (1 - math.exp(-p.kappa * dt)))
    lam = 2 * c * x * math.exp(-p.kappa * dt)
    assume(lam < 5e3 and 2 * c * y < 1e5)
    expected = mixture_logpdf(y, x, dt, p.kappa, p.theta, p.sigma)
    assume(expected > -600)  # both sides lose meaning deep in the tail
    assert p.logpdf(y, x, dt) == pytest.approx(expected, rel=1e-7, abs=1e-7)


@pytest.mark.parametrize("q", [-0.4, 0.0, 2.5, 66.75, 229.6, 1000.5, 17000.0])
def test_log_bessel_against_mpmath(q: float) -> None:
    mpmath = pytest.importorskip("mpmath")
    from fund.processes._cir_density import log_iv as _log_iv

    z = np.array([1e-3, 0.5, 50.0, 5000.0, 20000.0])
    ours = _log_iv(q, z)
    ref = [float(mpmath.log(mpmath.besseli(q, mpmath.mpf(v), maxterms=10**6))) for v in z]
    np.testing.assert_allclose(ours, ref, rtol=1e-10, atol=1e-9)


# ------------------------------------------------------------------ identification (issue 10)
SEED_REPLACEMENT = CIR(17.8, 0.205, 0.328)   # the seed's replacement-rate process


def _quiet_fit(x: np.ndarray, **kw: float) -> CIRFit:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IdentificationWarning)
        return CIR.fit(x, **kw)


@pytest.mark.parametrize("n_obs", [9, 40])
def test_kappa_flagged_on_annual_samples_of_a_fast_process(n_obs: int) -> None:
    # exp(-17.8) = 2e-8: annual data are i.i.d. draws of the stationary law, so kappa
    # cannot be told from anything above ~10.  Every fit of a small derandomised sample
    # must say so; the 200-fit rate is measured in tests/benchmarks/test_cir_identification.
    paths = SEED_REPLACEMENT.simulate(0.205, n_obs - 1, 6, rng=np.random.SeedSequence(10))
    for x in paths:
        fit = _quiet_fit(x)
        assert not fit.kappa_identified, fit.summary()
        assert fit.std_errors["kappa"] == np.inf
        ci = fit.conf_int(0.95)
        assert (ci["lower"] >= 0).all()                       # never outside (0, inf)
        assert ci.loc["kappa", "upper"] == np.inf
        assert ci.loc["kappa", "lower"] <= 17.8
        assert ci.loc["theta", "lower"] < fit.params["theta"] < ci.loc["theta", "upper"]


def test_identification_warning_summary_and_repr() -> None:
    x = SEED_REPLACEMENT.simulate(0.205, 8, 1, rng=4)[0]
    with pytest.warns(IdentificationWarning, match=r"kappa is not identified: .*kappa_max = 100"):
        fit = CIR.fit(x)
    text = fit.summary()
    assert "kappa NOT IDENTIFIED" in text and "stationary gamma law" in text
    assert "profile likelihood" in text.splitlines()[2]
    assert "NOT IDENTIFIED" in repr(fit)


def test_at_bound_uses_a_relative_tolerance() -> None:
    assert at_kappa_bound(19.999884, 20.0)           # the case of issue 10
    assert not at_kappa_bound(19.9, 20.0)
    x = np.array([1.84, 1.46, 1.51, 1.74, 1.58])
    fit = _quiet_fit(x, kappa_max=20.0)
    assert fit.kappa_at_bound == at_kappa_bound(fit.params["kappa"], 20.0)


def _stationary_gamma_loglik(y: float) -> float:
    """Independent route: at kappa -> inf the transitions are i.i.d. stationary gamma
    draws; scipy's gamma MLE (location 0) gives the profile's limit."""
    shape, _, scale = stats.gamma.fit(y, floc=0)
    return float(np.sum(stats.gamma.logpdf(y, shape, scale=scale)))


@pytest.mark.parametrize("name", ["recipient_ratio", "months_paid", "non_eligible_share",
                                  "replacement_rate"])
def test_qinghai_ratio_fits_report_their_status_honestly(name: str) -> None:
    from fund.processes import fit_ratio, ratio_series

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IdentificationWarning)
        fit = fit_ratio(name)
    y = ratio_series(name).to_numpy()[1:]
    at_infinity = _stationary_gamma_loglik(y)
    assert fit.profile["loglik"].iloc[-1] == pytest.approx(at_infinity, abs=1e-3)
    # the rule, checked from the gamma route: not identified iff the stationary law is
    # inside the 95 % likelihood-ratio cut-off (or the lower end is)
    upper_open = fit.loglik - at_infinity <= stats.chi2.ppf(0.95, 1) / 2
    lower_open = fit.loglik - fit.profile["loglik"].iloc[0] <= stats.chi2.ppf(0.95, 1) / 2
    assert fit.kappa_identified is not (upper_open or lower_open)
    assert fit.kappa_identified == (name == "replacement_rate")
    ci = fit.conf_int()
    assert (ci["lower"] >= 0).all()


def test_profile_interval_ends_are_likelihood_ratio_cut_points() -> None:
    true = CIR(kappa=0.6, theta=0.05, sigma=0.08)
    path = true.simulate(0.05, n_steps=600, n_paths=1, dt=1 / 12, rng=7)[0]
    fit = CIR.fit(path, dt=1 / 12)
    assert fit.kappa_identified and not fit.kappa_at_bound
    lo, hi = fit.conf_int(0.95).loc["kappa"]
    target = fit.loglik - stats.chi2.ppf(0.95, 1) / 2
    for kappa in (lo, hi):
        # maximise over (theta, sigma) with an independent optimiser (Powell, natural scale)
        res = optimize.minimize(lambda z, k=kappa: -CIR(k, *np.exp(z)).loglik(path, dt=1 / 12),
                                np.log(fit.params[["theta", "sigma"]].to_numpy(float)),
                                method="Powell", options={"xtol": 1e-8, "ftol": 1e-12})
        assert -res.fun == pytest.approx(target, abs=2e-3)
    wald = fit.params["kappa"] - 1.96 * fit.std_errors["kappa"]
    assert lo > 0 and (wald < 0 or lo > 0)


def test_fit_inputs_are_named() -> None:
    with pytest.raises(FitError, match=r"observation 2 \(2020\) is 0\.0; every value must be > 0"):
        CIR.fit(pd.Series([0.2, 0.3, 0.0, 0.25, 0.2], index=range(2018, 2023)))
    with pytest.raises(FitError, match=r"observation 1 is 'abc'; every value must be a real"):
        CIR.fit([0.2, "abc", 0.3, 0.25, 0.2])
    with pytest.raises(FitError, match="more transitions than the 3 parameters"):
        CIR.fit([0.2, 0.3, 0.25, 0.2])
    no_feller = CIR(0.5, 0.1, 1.0)
    assert not no_feller.feller
    assert no_feller.logpdf(0.0, 0.1, 1.0) == np.inf     # the density is unbounded at 0
    with pytest.raises(FitError, match=r"observation 1 is 0\.0"):
        no_feller.loglik([0.1, 0.0, 0.2])                 # never +inf


def test_yearly_step_of_a_fast_cir_is_the_stationary_gamma_law() -> None:
    # independent route for the Monte Carlo notes: one exact yearly step from two far
    # apart starts is indistinguishable from the stationary gamma law (KS test)
    from fund.processes import printed_ratio

    p = printed_ratio("recipient_ratio")
    law = stats.gamma(2 * p.kappa * p.theta / p.sigma**2, scale=p.sigma**2 / (2 * p.kappa))
    for x0 in (0.5, 3.0):
        draws = p.simulate(x0, 1, 4000, rng=np.random.SeedSequence(11))[:, 1]
        assert stats.kstest(draws, law.cdf).pvalue > 0.01
    assert p.draw_note("recipient_ratio").startswith("recipient_ratio: exp(-kappa*dt) = 2.3e-08")
    assert CIR(0.7, 0.2, 0.06).draw_note("slow") == ""


def test_monte_carlo_says_what_its_yearly_cir_draws_are() -> None:
    from fund import monte_carlo

    notes = monte_carlo(64, 2, rng=1).notes
    named = {note.split(":")[0] for note in notes}
    assert {"recipient_ratio", "months_paid", "non_eligible_share",
            "replacement_rate"} <= named
    assert all("stationary gamma law" in note for note in notes)
