from __future__ import annotations

import pytest

from ibis_models.framework.history import ModelChange, regressions


@pytest.mark.parametrize(
    ("change", "why"),
    [
        pytest.param(ModelChange("m", "built", 0, 1.0, 10, 1.0), "dropped to 0 rows from 10", id="zero-rows"),
        pytest.param(ModelChange("m", "built", 200, 1.0, 100, 1.0), "rows changed 100 -> 200", id="row-change"),
        pytest.param(ModelChange("m", "built", 100, 5.0, 100, 1.0), "5.0x slower (1.00s -> 5.00s)", id="slower"),
        pytest.param(ModelChange("m", "failed", None, 0.1, None, None), "failed", id="failed"),
    ],
)
def test_regressions_flag_each_kind(change, why):
    assert regressions([change], slower=2.0, row_change=0.5) == [("m", why)]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(ModelChange("m", "built", 120, 1.5, 100, 1.0), id="within-thresholds"),
        pytest.param(ModelChange("m", "built", 100, 0.9, 100, 0.1), id="fast-models-are-noise"),
        pytest.param(ModelChange("m", "cached", 100, 0.0, None, None), id="cached"),
        pytest.param(ModelChange("m", "built", 100, 1.0, None, None), id="first-build"),
    ],
)
def test_regressions_ignore_normal_changes(change):
    assert regressions([change], slower=2.0, row_change=0.5) == []
