"""The toy project plus a model that reads the clock (``ibis-models check`` must reject it)."""

from __future__ import annotations

import ibis

from ibis_models import model
from ibis_models.framework.project import Project, load_models


@model(
    system="A",
    grain="one row per customer",
    key=["customer_id"],
    columns={"customer_id": ("int64", "customer"), "loaded_at": ("timestamp", "build time")},
)
def int_loaded(stg_shop__customers):
    """Stamps rows with the build time, which makes builds irreproducible."""
    return stg_shop__customers.select("customer_id", loaded_at=ibis.now())


def clock_project() -> Project:
    return Project.from_specs(load_models("tests.framework.resources.toy") + load_models(__name__), name="clock")
