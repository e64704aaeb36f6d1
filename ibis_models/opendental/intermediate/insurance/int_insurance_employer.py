"""``int_insurance_employer``: one row per employer with its group plans, carriers, subscribers and enrollees."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import custom, equal_row_count, expression_is_true, model, unique
from ibis_models.opendental.expressions import nz

__all__ = ["int_insurance_employer"]

_COUNTS = (
    "plan_count",
    "visible_plan_count",
    "carrier_count",
    "subscriber_count",
    "enrolled_patient_count",
    "active_enrolled_patient_count",
)


def _plan_count_ties_out(t: ir.Table, stg_opendental__insplan: ir.Table, stg_opendental__employer: ir.Table) -> ir.Table:
    """sum(plan_count) = insplan rows whose nz(EmployerNum) exists in stg employer (B §4.6)."""
    plans = stg_opendental__insplan.select(plan_employer_id=nz(stg_opendental__insplan.employer_id))
    linked = plans.semi_join(stg_opendental__employer, plans.plan_employer_id == stg_opendental__employer.employer_id)
    sums = ibis.memtable({"one": [1]}).select(
        model_plans=t.plan_count.sum().fill_null(0).as_scalar(), expected_plans=linked.count().as_scalar()
    )
    return sums.filter(sums.model_plans != sums.expected_plans)


def _counts_consistent(t: ir.Table) -> ir.BooleanValue:
    return (
        (t.visible_plan_count >= 0)
        & (t.visible_plan_count <= t.plan_count)
        & (t.active_enrolled_patient_count >= 0)
        & (t.active_enrolled_patient_count <= t.enrolled_patient_count)
        & (t.carrier_count <= t.plan_count)
        & (t.has_plans == (t.plan_count > 0))
    )


@model(
    system="B",
    grain="one row per employer (employer.EmployerNum)",
    key=["employer_id"],
    columns={
        "employer_id": ("bigint", "employer.EmployerNum"),
        "employer_name": ("string", "EmpName"),
        "normalized_employer_name": ("string", "upper(trim(employer_name)), to find duplicate employers"),
        "address": ("string", "Address"),
        "address2": ("string", "Address2"),
        "city": ("string", "City"),
        "state": ("string", "State"),
        "zip": ("string", "Zip"),
        "phone": ("string", "Phone"),
        "plan_count": ("bigint", "insplan rows with nz(EmployerNum) = this employer"),
        "visible_plan_count": ("bigint", "Those plans with is_hidden = false"),
        "carrier_count": ("bigint", "Distinct nz(CarrierNum) among those plans"),
        "subscriber_count": ("bigint", "Distinct inssub rows whose plan belongs to this employer"),
        "enrolled_patient_count": ("bigint", "Distinct patients in int_insurance_coverage with this employer, any status"),
        "active_enrolled_patient_count": ("bigint", "The same, restricted to is_active as of as_of_date"),
        "has_plans": ("boolean", "plan_count > 0"),
        "as_of_date": ("date", "ctx.as_of, the build's reporting date"),
    },
    tests=[
        equal_row_count("stg_opendental__employer"),
        custom("plan_count_sum_equals_linked_insplan_rows", _plan_count_ties_out),
        expression_is_true("counts_are_consistent", _counts_consistent),
        unique("normalized_employer_name", severity="warn"),
    ],
)
def int_insurance_employer(
    stg_opendental__employer, stg_opendental__insplan, stg_opendental__inssub, int_insurance_coverage, ctx
):
    """Employers that sponsor group plans, with plan, carrier, subscriber and enrollee counts (B §4).

    Each figure is aggregated per employer before the join, so nothing fans out; counts are 0 when
    nothing matches. Enrolled patients come from int_insurance_coverage (any status, and active as
    of ``as_of_date``).
    """
    e = stg_opendental__employer
    ip = stg_opendental__insplan
    plans = ip.select(
        plan_id=ip.insurance_plan_id,
        plan_employer_id=nz(ip.employer_id),
        plan_carrier_id=nz(ip.carrier_id),
        is_hidden=ip.is_hidden.fill_null(False),
    )
    plans = plans.filter(plans.plan_employer_id.notnull())
    plan_agg = plans.group_by(plans.plan_employer_id.name("pa_employer_id")).aggregate(
        plan_count=plans.count(),
        visible_plan_count=plans.count(where=~plans.is_hidden),
        carrier_count=plans.plan_carrier_id.nunique(),
    )
    sub = stg_opendental__inssub.select(
        inssub_id=stg_opendental__inssub.inssub_id, sub_plan_id=nz(stg_opendental__inssub.insurance_plan_id)
    )
    subs = sub.join(plans, sub.sub_plan_id == plans.plan_id)
    sub_agg = subs.group_by(subs.plan_employer_id.name("sa_employer_id")).aggregate(subscriber_count=subs.inssub_id.nunique())
    cov = int_insurance_coverage.filter(int_insurance_coverage.employer_id.notnull())
    cov_agg = cov.group_by(cov.employer_id.name("ca_employer_id")).aggregate(
        enrolled_patient_count=cov.patient_id.nunique(),
        active_enrolled_patient_count=cov.patient_id.nunique(where=cov.is_active),
    )
    j = e.left_join(plan_agg, e.employer_id == plan_agg.pa_employer_id)
    j = j.left_join(sub_agg, j.employer_id == sub_agg.sa_employer_id)
    j = j.left_join(cov_agg, j.employer_id == cov_agg.ca_employer_id)
    counts = {name: j[name].fill_null(0).cast("int64") for name in _COUNTS}
    return j.select(
        employer_id=j.employer_id,
        employer_name=j.employer_name,
        normalized_employer_name=j.employer_name.strip().upper(),
        address=j.address,
        address2=j.address2,
        city=j.city,
        state=j.state,
        zip=j.zip,
        phone=j.phone,
        **counts,
        has_plans=counts["plan_count"] > 0,
        as_of_date=ibis.literal(ctx.as_of),
    )
