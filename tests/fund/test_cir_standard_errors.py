"""A CIR fit whose observed information cannot be inverted says so (a warning naming the
parameters) instead of reporting infinite standard errors in silence."""

from __future__ import annotations

import numpy as np
import pytest

from fund.processes import cir_fit
from fund.processes.cir_fit import IdentificationWarning


class _Flat:
    """A likelihood that does not move: its Hessian is zero, hence singular."""

    def loglik(self, kappa: float, theta: float, sigma: float) -> float:
        return 0.0


def test_a_singular_information_matrix_warns_and_reports_inf() -> None:
    with pytest.warns(IdentificationWarning,
                      match=r"singular or not positive definite; the standard errors of "
                            r"kappa, theta, sigma are reported as inf"):
        se = cir_fit._std_errors(_Flat(),  # type: ignore[arg-type]  # duck-typed _Data
                                 np.array([1.0, 0.5, 0.2]), kappa_fixed=False)
    assert np.all(np.isinf(se))


def test_a_held_kappa_names_only_the_free_parameters() -> None:
    with pytest.warns(IdentificationWarning, match=r"standard errors of theta, sigma are"):
        se = cir_fit._std_errors(_Flat(),  # type: ignore[arg-type]  # duck-typed _Data
                                 np.array([1.0, 0.5, 0.2]), kappa_fixed=True)
    assert np.all(np.isinf(se))
