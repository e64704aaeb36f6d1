"""Run every generation step in dependency order and return all raw tables in schema order."""

from __future__ import annotations

import numpy as np

from ibis_models.opendental.schema import raw_tables
from ibis_models.synthetic._columns import ArrowBuilder, Rows, day_number
from ibis_models.synthetic.balances import apply_balances
from ibis_models.synthetic.catalog import build_catalog
from ibis_models.synthetic.claims import build_claims
from ibis_models.synthetic.clinical import build_notes, build_procedures
from ibis_models.synthetic.communications import build_commlog, build_statements, build_tasks
from ibis_models.synthetic.config import GeneratedData, GeneratorConfig, Progress
from ibis_models.synthetic.coverage import build_coverage
from ibis_models.synthetic.mess import MessLog, apply_dangling
from ibis_models.synthetic.payments import build_money
from ibis_models.synthetic.people import build_people
from ibis_models.synthetic.records import build_records, build_securitylog
from ibis_models.synthetic.reference import build_reference
from ibis_models.synthetic.scheduling import build_history, build_schedule, build_visits
from ibis_models.synthetic.staff import build_staff

__all__ = ["generate"]

_STEPS = (
    "reference",
    "people",
    "insurance",
    "appointments",
    "procedures",
    "claims",
    "payments",
    "communications",
    "records",
    "mess",
    "balances",
    "arrow",
)


def generate(config: GeneratorConfig, progress: Progress | None = None) -> GeneratedData:
    """Generate a complete synthetic OpenDental database.

    Examples
    --------
    >>> from ibis_models.synthetic import GeneratorConfig, generate
    >>> data = generate(GeneratorConfig(patients=300, seed=1))
    >>> data.tables["patient"].num_rows
    300
    """
    report = progress or (lambda step, done, total: None)
    seed, end = config.seed, day_number(config.end_date)
    start = end - round(config.years * 365.25)
    mess = MessLog(config.clean)
    rows: dict[str, Rows] = {}

    def step(name: str) -> None:
        report(name, _STEPS.index(name), len(_STEPS))

    step("reference")
    ref = build_reference(seed, start)
    cat = build_catalog(seed, ref, start)
    staff = build_staff(seed, ref, config.patients // 2, start)
    rows.update(ref.tables | cat.tables | staff.tables)
    step("people")
    people = build_people(seed, config.patients, staff, start, end)
    rows["patient"] = people.rows
    step("insurance")
    cov = build_coverage(seed, people, ref, cat, staff, start, end)
    rows.update(cov.tables)
    step("appointments")
    visits = build_visits(seed, people, cov, ref, staff, start, end, config.clean)
    rows["appointment"] = visits.rows
    rows["histappointment"], rows["entrylog"] = build_history(seed, visits, end)
    rows["schedule"], rows["scheduleop"] = build_schedule(seed, staff, ref, start, end)
    step("procedures")
    procs = build_procedures(seed, people, visits, ref, cat, staff, start, end, mess)
    rows["procedurelog"] = procs.rows
    rows["procnote"], rows["procgroupitem"] = build_notes(seed, procs, visits, end)
    step("claims")
    ins = build_claims(seed, procs, cov, ref, cat, staff, start, end, mess)
    rows.update(ins.tables)
    step("payments")
    rows.update(build_money(seed, people, procs, ins, ref, staff, end, mess))
    step("communications")
    rows["commlog"] = build_commlog(seed, visits, people, ref, staff, end)
    owed = procs.fee - ins.paid - ins.writeoff
    rows["statement"], rows["statementprod"] = build_statements(seed, procs, people, rows["paysplit"], owed, end)
    rows.update(build_tasks(seed, people, visits, ref, staff, start, end))
    step("records")
    rows.update(build_records(seed, people, visits, procs, ref, staff, cat.disease_defs, start, end))
    rows["securitylog"] = build_securitylog(seed, _audit_events(rows), staff, end)
    _fill_patient_summary(rows, people, start)
    step("mess")
    apply_dangling(seed, rows, mess, config.patients, visits.rows.get("AptNum")[visits.deleted])
    step("balances")
    apply_balances(rows, ref, end)
    step("arrow")
    schema = raw_tables()
    missing = set(schema) - set(rows)
    if missing:
        raise RuntimeError(f"generator produced no rows object for {sorted(missing)}")
    builder = ArrowBuilder()
    tables = {name: builder.table(name, rows[name]) for name in schema}
    report("done", len(_STEPS), len(_STEPS))
    return GeneratedData(config=config, tables=tables, manifest=dict(sorted(mess.entries.items())))


def _audit_events(rows: dict[str, Rows]) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Audited actions per enumerations §7: appointment create/edit, procedure complete, payments,
    adjustments, claims sent, insurance payments, commlog create, patient create/edit."""
    apt, hist, proc = rows["appointment"], rows["histappointment"], rows["procedurelog"]
    done = proc.get("ProcStatus") == 2
    pay, adj, claim, cpay, comm, pat = (rows[t] for t in ("payment", "adjustment", "claim", "claimpayment", "commlog", "patient"))
    staff_comm = comm.get("UserNum") > 0
    changed = hist.get("HistApptAction") > 0
    return [
        (25, apt.get("SecDateTEntry"), apt.get("PatNum"), apt.get("AptNum"), apt.get("SecUserNumEntry")),
        (
            27,
            hist.get("HistDateTStamp")[changed],
            hist.get("PatNum")[changed],
            hist.get("AptNum")[changed],
            hist.get("HistUserNum")[changed],
        ),
        (
            23,
            proc.get("DateTStamp")[done],
            proc.get("PatNum")[done],
            proc.get("ProcNum")[done],
            proc.get("SecUserNumEntry")[done],
        ),
        (15, pay.get("SecDateTEdit"), pay.get("PatNum"), pay.get("PayNum"), pay.get("SecUserNumEntry")),
        (17, adj.get("SecDateTEdit"), adj.get("PatNum"), adj.get("AdjNum"), adj.get("SecUserNumEntry")),
        (
            104,
            claim.get("SecDateEntry") * 86_400 + 50_000,
            claim.get("PatNum"),
            claim.get("ClaimNum"),
            claim.get("SecUserNumEntry"),
        ),
        (36, cpay.get("SecDateTEdit"), np.zeros(cpay.n, np.int64), cpay.get("ClaimPaymentNum"), cpay.get("SecUserNumEntry")),
        (
            193,
            comm.get("DateTEntry")[staff_comm],
            comm.get("PatNum")[staff_comm],
            comm.get("CommlogNum")[staff_comm],
            comm.get("UserNum")[staff_comm],
        ),
        (108, pat.get("DateTStamp"), pat.get("PatNum"), pat.get("PatNum"), np.zeros(pat.n, np.int64)),
    ]


def _fill_patient_summary(rows: dict[str, Rows], people, start: int) -> None:
    """DateFirstVisit, HasIns and BillingType from what the patient actually has."""
    patient, proc = rows["patient"], rows["procedurelog"]
    n = patient.n
    done = proc.get("ProcStatus") == 2
    first = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first, proc.get("PatNum")[done] - 1, proc.get("ProcDate")[done])
    first = np.where(people.start < start, people.start, first)
    has_any = np.zeros(n, bool)
    has_any[proc.get("PatNum")[done] - 1] = True
    insured = np.zeros(n, bool)
    insured[rows["patplan"].get("PatNum") - 1] = True
    patient.cols["DateFirstVisit"] = np.where(has_any | (people.start < start) & (people.end >= start), first, -719_162)
    patient.cols["HasIns"] = np.where(insured, "I", "")
    head = patient.get("Guarantor") - 1
    ref_collect = rows["definition"].get("DefNum")[(rows["definition"].get("Category") == 4)]
    patient.cols["BillingType"] = np.where(people.payer[head] == 2, ref_collect[2], ref_collect[0])
