"""Generated databases shared by the synthetic tests (module-scoped: generation is the slow part)."""

from __future__ import annotations

import pytest

from ibis_models.synthetic import GeneratedData, GeneratorConfig, generate


@pytest.fixture(scope="session")
def messy() -> GeneratedData:
    return generate(GeneratorConfig(patients=1_500, seed=7))


@pytest.fixture(scope="session")
def clean() -> GeneratedData:
    return generate(GeneratorConfig(patients=1_500, seed=7, clean=True))
