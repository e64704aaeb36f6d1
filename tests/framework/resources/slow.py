"""The toy project plus a deliberately slow model, for the kill-mid-build test."""

from __future__ import annotations

import ibis

from ibis_models import Source, SourceColumn, model
from ibis_models.framework.project import Project, load_models

NUMBERS = Source("numbers", (SourceColumn("n", ibis.dtype("int64")),))


@model(
    system="staging",
    grain="one row per number",
    key=["number_id"],
    columns={"number_id": ("int64", "n")},
    sources={"raw": NUMBERS},
)
def stg_shop__numbers(raw):
    """Numbers to multiply."""
    return raw.select(number_id=raw.n)


@model(
    system="A",
    grain="one row per bucket",
    key=["bucket_id"],
    columns={"bucket_id": ("int64", "bucket"), "pairs": ("int64", "pairs in the bucket")},
)
def int_slow_pairs(stg_shop__numbers, stg_shop__customers):
    """A cross join big enough to be killed while it runs."""
    a = stg_shop__numbers
    b = stg_shop__numbers.view()
    joined = a.cross_join(b.select(m=b.number_id))
    pairs = joined.mutate(bucket_id=(joined.number_id * 7 + joined.m) % 97)
    # stg_shop__customers is read only so that a change there forces a rebuild
    return pairs.group_by("bucket_id").aggregate(pairs=pairs.count())


def slow_project() -> Project:
    return Project.from_specs(load_models("tests.framework.resources.toy") + load_models(__name__), name="slow")
