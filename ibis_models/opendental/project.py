"""The OpenDental project: generated staging models, the intermediate models, parameters, as-of rule."""

from __future__ import annotations

from ibis_models.framework.project import Project, load_models
from ibis_models.opendental.as_of import default_as_of
from ibis_models.opendental.params import DEFAULT_PARAMS
from ibis_models.opendental.staging import staging_models

__all__ = ["opendental_project"]


def opendental_project() -> Project:
    """Every model of the package. ``as_of`` defaults to the latest ledger activity (DE §1.1)."""
    specs = [fn.__ibis_model__ for fn in staging_models()] + load_models("ibis_models.opendental.intermediate")
    return Project.from_specs(specs, params=DEFAULT_PARAMS, as_of_rule=default_as_of, name="opendental")
