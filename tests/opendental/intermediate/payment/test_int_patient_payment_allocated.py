"""int_patient_payment_allocated (FAC §10) and the allocation contract shared with insurance (§12.1)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import ibis
import pandas as pd

from ibis_models.framework.context import BuildContext
from ibis_models.framework.plan import plan_run
from ibis_models.framework.runner import Status, execute
from ibis_models.framework.target import Target
from ibis_models.opendental.intermediate.payment._common import ALLOCATION_COLUMNS, allocation_union
from ibis_models.opendental.intermediate.payment.int_insurance_payment_allocated import (
    int_insurance_payment_allocated,
)
from ibis_models.opendental.intermediate.payment.int_patient_payment_allocated import int_patient_payment_allocated
from ibis_models.opendental.project import opendental_project
from tests.opendental.harness import load_raw
from tests.opendental.intermediate.payment.test_int_payment_split import RAW

AS_OF = dt.date(2025, 6, 30)
MODEL = "int_patient_payment_allocated"


def test_int_patient_payment_allocated_ar_inclusion_and_effect(build):
    built = build(MODEL, RAW, as_of=AS_OF)
    frame = built.frame.set_index("paysplit_id")
    assert frame.payment_allocation_id.tolist() == [f"PAT-{s['SplitNum']}" for s in RAW["paysplit"]]
    assert set(frame.payment_source_type) == {"PATIENT"}
    assert frame.claim_payment_id.isna().all()
    assert frame.guarantor_id.tolist() == [1] * len(RAW["paysplit"])
    # hidden unearned (3001), a 0 split (6001) and a split after as_of (7001) stay off the balance;
    # an income transfer (2001, 2002) and an undated split (8001) count
    assert frame.include_in_ar.to_dict() == {
        1001: True,
        1002: True,
        1003: True,
        1004: True,
        1005: True,
        2001: True,
        2002: True,
        3001: False,
        4001: True,
        5001: True,
        6001: False,
        7001: False,
        8001: True,
    }
    assert frame.ar_effect_amount.to_dict() == {
        1001: Decimal("-150.00"),
        1002: Decimal("-15.00"),
        1003: Decimal("-5.00"),
        1004: Decimal("-100.00"),
        1005: Decimal("-30.00"),
        2001: Decimal("100.00"),
        2002: Decimal("-100.00"),
        3001: Decimal("0.00"),
        4001: Decimal("50.00"),
        5001: Decimal("-6000.00"),
        6001: Decimal("0.00"),
        7001: Decimal("0.00"),
        8001: Decimal("-10.00"),
    }
    assert frame.is_refund_payment_type[frame.is_refund_payment_type].index.tolist() == [4001]

    row = built.row(paysplit_id=1001)
    assert (row["payment_id"], row["patient_id"], row["provider_id"], row["clinic_id"]) == (1, 1, 5, 4)
    assert (row["procedure_id"], row["split_type"]) == (10, "NORMAL_PAYMENT")
    assert row["procedure_date"] == pd.Timestamp(dt.date(2025, 5, 1))
    assert row["payment_date"] == pd.Timestamp(dt.date(2025, 5, 2))
    assert (row["payment_type_id"], row["payment_type_description"]) == (100, "Check")
    assert (row["check_number"], row["bank_branch"], row["deposit_id"], row["payment_notes"]) == (
        "1234",
        "First Bank",
        55,
        "thanks",
    )
    assert row["merchant_fee"] == Decimal("1.50")
    assert row["created_by_user_id"] == 9
    assert row["entry_date"] == pd.Timestamp(dt.date(2025, 5, 2))
    assert row["_updated_at"] == pd.Timestamp(2025, 5, 2, 9, 30)
    assert row["as_of_date"] == pd.Timestamp(AS_OF)

    child = built.row(paysplit_id=1005)
    assert (child["patient_id"], child["guarantor_id"]) == (2, 1)
    transfer = built.row(paysplit_id=2001)
    assert transfer["is_income_transfer"] and transfer["is_unearned"]
    assert pd.isna(transfer["payment_type_id"]) and transfer["payment_type_description"] == "Income Transfer"
    hidden = built.row(paysplit_id=3001)
    assert hidden["is_hidden_unearned"] and hidden["unearned_type_name"] == "Treat Plan Prepayment"
    plan = built.row(paysplit_id=5001)
    assert plan["is_payment_plan_split"] and (plan["payplan_id"], plan["payplan_debit_type"]) == (70, 1)


def test_int_allocation_contract_types_match():
    """Both allocation models declare the §12.1 columns with the same names and types."""
    for fn in (int_patient_payment_allocated, int_insurance_payment_allocated):
        spec = fn.__ibis_model__
        declared = {c.name: c.dtype for c in spec.columns}
        for name, kind in ALLOCATION_COLUMNS.items():
            assert declared[name] == ibis.dtype(kind), (spec.name, name)


def _build_both(url: str, raw) -> None:
    """Build both allocation models in one run (the ``build`` fixture builds one model per database)."""
    project = opendental_project()
    models = [MODEL, "int_insurance_payment_allocated"]
    needed = set(models).union(*(project.graph.ancestors(m) for m in models))
    tables = sorted({s.table for n in needed for s in project.models[n].sources.values()} | set(raw))
    target = Target.from_url(url)
    load_raw(target, raw, tables)
    con = target.connect()
    try:
        plan = plan_run(project, target, con, select=[f"+{m}" for m in models], as_of=AS_OF)
        result = execute(plan, con, threads=1)
    finally:
        con.disconnect()
    failed = [m for m in result.models if m.status is not Status.BUILT]
    assert not failed, "\n".join(f"{m.name}: {m.status} {m.error}" for m in failed)


def _ledger_differences(con, patient, insurance) -> pd.DataFrame:
    """Run the family ledger warn test (FAC §10.6) on the built tables."""
    test = next(t for t in int_patient_payment_allocated.__ibis_model__.tests if t.name == "family_ledger_matches_cached_balance")
    refs = {
        name: con.table(name, database="intermediate") for name in ("int_fee_model", "int_adjustments", "int_patient_profile")
    }
    refs["int_insurance_payment_allocated"] = insurance
    return test.failing_rows(patient, refs, BuildContext(as_of=AS_OF)).to_pandas()


def test_int_allocation_union_has_unique_allocation_ids(target_url):
    raw = {
        **RAW,
        "claimpayment": [{"ClaimPaymentNum": 500, "CheckDate": dt.date(2025, 5, 10), "CheckAmt": 80.0}],
        # ClaimProcNum 1001 equals a SplitNum on purpose: the prefixes keep the ids apart
        "claimproc": [
            {
                "ClaimProcNum": 1001,
                "Status": 1,
                "PatNum": 2,
                "ClaimNum": 900,
                "ProcNum": 10,
                "ClaimPaymentNum": 500,
                "DateCP": dt.date(2025, 5, 10),
                "InsPayAmt": 80.0,
                "WriteOff": 20.0,
            },
        ],
    }
    _build_both(target_url, raw)
    con = Target.from_url(target_url).connect()
    try:
        patient = con.table(MODEL, database="intermediate")
        insurance = con.table("int_insurance_payment_allocated", database="intermediate")
        union = allocation_union(patient, insurance)
        assert union.schema() == patient.select(*ALLOCATION_COLUMNS).schema()
        frame = union.to_pandas()
        test = next(
            t
            for t in int_patient_payment_allocated.__ibis_model__.tests
            if t.name == "allocation_id_unique_across_patient_and_insurance"
        )
        failing = test.failing_rows(patient, {"int_insurance_payment_allocated": insurance}, None)
        assert int(failing.count().execute()) == 0
        ledger = _ledger_differences(con, patient, insurance)
    finally:
        con.disconnect()
    assert len(frame) == len(RAW["paysplit"]) + 1
    assert frame.payment_allocation_id.is_unique
    # cached balances are all 0 here, so every guarantor with activity differs: the warn test reports it
    assert ledger.guarantor_id.tolist() == [1]
    assert ledger.computed_balance.tolist() == [Decimal("-6175.00")]
    ins = frame[frame.payment_source_type == "INSURANCE"].iloc[0]
    assert ins.payment_allocation_id == "INS-1001" and pd.isna(ins.payment_id)
    assert (ins.claim_payment_id, ins.guarantor_id, ins.ar_effect_amount) == (500, 1, Decimal("-100.00"))
