"""The generator's contract: complete schema, determinism, accounting identities, balances and mess."""

from __future__ import annotations

import hashlib
from datetime import date

import numpy as np
import pyarrow as pa
import pytest

from ibis_models.opendental.schema import raw_tables
from ibis_models.synthetic import GeneratedData, GeneratorConfig, generate
from ibis_models.synthetic.mess import foreign_keys

SENTINEL = date(1, 1, 1)


def _digest(table: pa.Table) -> str:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()


def _col(data: GeneratedData, table: str, column: str) -> np.ndarray:
    return data.tables[table][column].to_numpy(zero_copy_only=False)


def test_generate_returns_every_schema_table_and_column_in_order(messy):
    schema = raw_tables()
    assert list(messy.tables) == list(schema)
    for name, table in schema.items():
        assert messy.tables[name].column_names == [c.name for c in table.columns], name


def test_generate_fills_every_table_except_clinic(messy):
    empty = sorted(name for name, table in messy.tables.items() if table.num_rows == 0)
    assert empty == ["clinic"]  # single location: the Clinics feature is off (docs/synthetic-data.md)


def test_generate_same_arguments_give_identical_tables():
    first = generate(GeneratorConfig(patients=300, seed=3))
    second = generate(GeneratorConfig(patients=300, seed=3))
    assert {n: _digest(t) for n, t in first.tables.items()} == {n: _digest(t) for n, t in second.tables.items()}
    assert first.manifest == second.manifest


def test_generate_different_seed_gives_different_data():
    first = generate(GeneratorConfig(patients=300, seed=3))
    other = generate(GeneratorConfig(patients=300, seed=4))
    assert _digest(first.tables["procedurelog"]) != _digest(other.tables["procedurelog"])


def test_primary_keys_are_unique(messy):
    for name, table in raw_tables().items():
        keys = _col(messy, name, table.primary_key.name)
        assert np.unique(keys).size == keys.size, name


@pytest.mark.parametrize("fixture", ["messy", "clean"], ids=["messy", "clean"])
def test_referential_breaks_equal_the_manifest(fixture, request):
    data = request.getfixturevalue(fixture)
    expected: dict[tuple[str, str], int] = {}
    for entry in data.manifest.values():
        if entry.parent:
            expected[(entry.table, entry.column)] = expected.get((entry.table, entry.column), 0) + entry.count
    found = {}
    for table, column, parent, parent_column in foreign_keys():
        values = _col(data, table, column)
        orphans = int(((values != 0) & ~np.isin(values, _col(data, parent, parent_column))).sum())
        if orphans or (table, column) in expected:
            found[(table, column)] = orphans
    assert found == {k: v for k, v in expected.items() if v}


def test_clean_has_no_mess(clean):
    assert all(entry.count == 0 for entry in clean.manifest.values())
    assert not (_col(clean, "procedurelog", "ProcStatus") == 6).any()
    old_sent = (_col(clean, "claim", "ClaimStatus") == "S") & (_col(clean, "claim", "DateService") < date(2025, 1, 1))
    assert not (old_sent & (_col(clean, "claim", "ClaimType") != "PreAuth")).any()


def test_messy_has_every_kind_of_mess(messy):
    counts = {name.split(":")[0]: 0 for name in messy.manifest}
    for name, entry in messy.manifest.items():
        counts[name.split(":")[0]] += entry.count
    assert {k for k, v in counts.items() if v} >= {
        "deleted_procedures",
        "zero_fee_procedures",
        "claims_never_paid",
        "duplicate_payments",
        "hidden_definition_refs",
        "deleted_appointment",
        "deleted_procedure",
        "orphan_key",
        "sentinel_birthdate",
    }
    assert int((_col(messy, "procedurelog", "ProcStatus") == 6).sum()) == messy.manifest["deleted_procedures"].count


def test_payment_amount_equals_sum_of_its_splits(messy):
    pay = _col(messy, "payment", "PayNum")
    total = np.bincount(_col(messy, "paysplit", "PayNum"), weights=_col(messy, "paysplit", "SplitAmt"), minlength=pay.max() + 1)
    pay_type = _col(messy, "payment", "PayType")
    transfer = pay_type == 0
    assert np.allclose(total[pay][~transfer], _col(messy, "payment", "PayAmt")[~transfer], atol=0.005)
    assert np.allclose(total[pay][transfer], 0, atol=0.005)
    assert np.allclose(_col(messy, "payment", "PayAmt")[transfer], 0)
    assert transfer.any()


def test_check_amount_equals_sum_of_its_claimproc_lines(messy):
    num = _col(messy, "claimpayment", "ClaimPaymentNum")
    paid = _col(messy, "claimproc", "InsPayAmt")
    total = np.bincount(_col(messy, "claimproc", "ClaimPaymentNum"), weights=paid, minlength=num.max() + 1)
    assert np.allclose(total[num], _col(messy, "claimpayment", "CheckAmt"), atol=0.005)


def test_claim_lines_carry_their_claims_patient_plan_and_subscriber(messy):
    claim_num = _col(messy, "claimproc", "ClaimNum")
    on_claim = claim_num > 0
    index = {int(k): i for i, k in enumerate(_col(messy, "claim", "ClaimNum"))}
    rows = np.array([index[int(c)] for c in claim_num[on_claim]])
    for column in ("PatNum", "PlanNum", "InsSubNum"):
        assert (_col(messy, "claimproc", column)[on_claim] == _col(messy, "claim", column)[rows]).all(), column


def _family_balances(data: GeneratedData) -> dict[int, float]:
    """Conventions §12 recomputed independently: charges - insurance - write-offs + adjustments - splits."""
    proc = data.tables["procedurelog"].to_pylist()
    status = {p["ProcNum"]: p["ProcStatus"] for p in proc}
    defs = data.tables["definition"].to_pylist()
    hidden = {d["DefNum"] for d in defs if d["Category"] == 29 and d["ItemValue"]}
    guarantor = dict(zip(_col(data, "patient", "PatNum").tolist(), _col(data, "patient", "Guarantor").tolist(), strict=True))
    balance: dict[int, float] = {}

    def add(pat: int, amount: float) -> None:
        if pat in guarantor:
            balance[guarantor[pat]] = balance.get(guarantor[pat], 0.0) + amount

    for p in proc:
        if p["ProcStatus"] == 2:
            add(p["PatNum"], p["ProcFee"] * (p["UnitQty"] + p["BaseUnits"]))
    for c in data.tables["claimproc"].to_pylist():
        if c["Status"] in (1, 4, 5, 7) and (c["ProcNum"] == 0 or status.get(c["ProcNum"]) == 2):
            add(c["PatNum"], -(c["InsPayAmt"] + c["WriteOff"]))
    for a in data.tables["adjustment"].to_pylist():
        add(a["PatNum"], a["AdjAmt"])
    for s in data.tables["paysplit"].to_pylist():
        if s["UnearnedType"] not in hidden:
            add(s["PatNum"], -s["SplitAmt"])
    return balance


def test_guarantor_baltotal_matches_balance_recomputed_from_transactions(messy):
    expected = _family_balances(messy)
    pat = _col(messy, "patient", "PatNum")
    heads = pat == _col(messy, "patient", "Guarantor")
    stored = dict(zip(pat[heads].tolist(), _col(messy, "patient", "BalTotal")[heads].tolist(), strict=True))
    assert all(abs(stored[g] - round(expected.get(g, 0.0), 2)) < 0.011 for g in stored)
    members = ~heads
    assert (_col(messy, "patient", "BalTotal")[members] == 0).all()


def test_aging_buckets_and_credits_look_like_a_practice(messy):
    heads = _col(messy, "patient", "PatNum") == _col(messy, "patient", "Guarantor")
    total = _col(messy, "patient", "BalTotal")[heads]
    for column in ("Bal_0_30", "Bal_31_60", "Bal_61_90", "BalOver90"):
        assert (_col(messy, "patient", column)[heads] > 0).sum() >= 5, column
    assert 0.005 < (total < -0.005).mean() < 0.15
    assert (np.abs(total) < 0.005).mean() > 0.4
    buckets = sum(_col(messy, "patient", c)[heads] for c in ("Bal_0_30", "Bal_31_60", "Bal_61_90", "BalOver90"))
    assert np.allclose(buckets + np.minimum(total, 0), total, atol=0.05)


def test_no_audit_timestamp_after_end_date(messy):
    limit = np.datetime64("2025-07-01")
    for name, table in raw_tables().items():
        for column in table.columns:
            if column.is_change_timestamp and messy.tables[name].num_rows:
                assert _col(messy, name, column.name).max() < limit, f"{name}.{column.name}"


def test_unearned_types_include_hidden_treat_plan_prepayment(messy):
    defs = messy.tables["definition"].to_pylist()
    unearned = {d["ItemName"]: d["ItemValue"] for d in defs if d["Category"] == 29}
    assert unearned == {"Prepayment": "", "Treat Plan Prepayment": "X"}
    assert {"+", "-"} <= {d["ItemValue"] for d in defs if d["Category"] == 1}
