"""int_opendental_system_logs: who created each appointment and through which channel (FAC §5)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from ibis_models import (
    accepted_values,
    custom,
    equal_row_count,
    expression_is_true,
    model,
    not_null,
    relationships,
)
from ibis_models.framework.context import BuildContext
from ibis_models.opendental.expressions import add_days, decode, sorted_list, zero_to_null

__all__ = ["int_opendental_system_logs"]

FOREIGN_KEY_TYPE = {0: "Appointment"}  # EntryLogFKeyType, FAC §2.1
LOG_SOURCE = {
    0: "None",
    1: "WebSched",
    2: "InsPlanImport834",
    3: "HL7",
    4: "DBM",
    5: "FHIR",
    6: "PatientPortal",
    7: "WebSchedNewPatAppt",
    8: "AutoConfirmations",
    9: "Diagnostic",
    10: "MobileWeb",
    11: "CanadaEobAutoImport",
    12: "WebSchedASAP",
    13: "OpenDentalService",
    14: "BroadcastMonitor",
    15: "AutoLogOff",
    16: "ODMobile",
    17: "TextMessaging",
    18: "CareCredit",
    19: "WebSchedExistingPatient",
    20: "eRx",
    21: "SignupPortal",
    22: "EmployerImport834",
    23: "API",
    24: "ClaimReceiveAutomatic",
    25: "PaymentPortal",
}
# FAC §5.5 rule 5.
LOG_SOURCE_CHANNELS = {
    "desktop": (0,),
    "web_sched": (1, 7, 12, 19),
    "patient_portal": (6, 25),
    "mobile": (10, 16),
    "integration": (2, 3, 5, 18, 20, 21, 22, 23),
    "automation": (4, 8, 9, 11, 13, 14, 15, 17, 24),
}
_APPOINTMENT = 0


def _log_source_channel(code: ir.IntegerValue) -> ir.StringValue:
    return decode(code, {c: channel for channel, codes in LOG_SOURCE_CHANNELS.items() for c in codes}, else_="unknown")


def _group_list_matches_count(t: ir.Table) -> ir.Table:
    return t.filter(
        t.user_group_count.isnull() | (t.user_group_count < 0) | (t.user_group_ids.isnull() != (t.user_group_count == 0))
    ).select("entry_log_id", "user_group_count", "user_group_ids")


def _entry_not_after_as_of(t: ir.Table, ctx: BuildContext) -> ir.Table:
    end_of_day = add_days(ctx.as_of, 1).cast("timestamp")
    return t.filter(t.entry_datetime >= end_of_day).select("entry_log_id", "entry_datetime")


@model(
    system="foundation",
    grain="one row per entry-log row (entrylog.EntryLogNum)",
    key=["entry_log_id"],
    columns={
        "entry_log_id": ("bigint", "EntryLogNum"),
        "entry_datetime": ("timestamp", "Server time of the entry (cannot be edited in OpenDental)"),
        "entry_date": ("date", "Date part of entry_datetime"),
        "user_id": ("bigint", "UserNum; NULL when 0"),
        "is_system_entry": ("boolean", "No logged-in user (an automated or online channel)"),
        "username": ("string", "userod.UserName"),
        "user_is_hidden": ("boolean", "userod.IsHidden; false when no user"),
        "user_provider_id": ("bigint", "Provider linked to the user, if any"),
        "user_employee_id": ("bigint", "Employee linked to the user, if any"),
        "user_group_id": ("bigint", "Smallest attached security group, else the legacy userod group, else NULL"),
        "user_group_ids": ("string", "Sorted distinct attached group ids, ','-separated"),
        "user_group_names": ("string", "Sorted distinct attached group descriptions, '; '-separated"),
        "user_group_count": ("bigint", "Number of distinct attached groups"),
        "foreign_key_type": ("bigint", "EntryLogFKeyType code (0 = Appointment)"),
        "foreign_key_type_description": ("string", "Appointment / Unknown"),
        "foreign_key": ("bigint", "FKey as staged (0 is NULL)"),
        "appointment_id": ("bigint", "= foreign_key when foreign_key_type = 0 and foreign_key > 0"),
        "appointment_patient_id": ("bigint", "Patient of that appointment, when it is in staging"),
        "appointment_datetime": ("timestamp", "Scheduled time of that appointment"),
        "log_source": ("bigint", "LogSources code"),
        "log_source_description": ("string", "LogSources name"),
        "log_source_channel": ("string", "desktop / web_sched / patient_portal / mobile / integration / automation / unknown"),
        "as_of_date": ("date", "ctx.as_of"),
    },
    tests=[
        equal_row_count("stg_opendental__entrylog"),
        not_null("entry_datetime"),
        custom("entry_datetime_not_after_as_of", _entry_not_after_as_of, severity="warn"),
        accepted_values("log_source", range(26), severity="warn"),
        accepted_values("log_source_channel", [*LOG_SOURCE_CHANNELS, "unknown"]),
        accepted_values("foreign_key_type", [_APPOINTMENT], severity="warn"),
        relationships("user_id", to="stg_opendental__userod.user_id", severity="warn"),
        relationships("appointment_id", to="stg_opendental__appointment.appointment_id", severity="warn"),
        custom("user_group_list_matches_count", _group_list_matches_count),
        expression_is_true("user_group_count_not_negative", lambda t: t.user_group_count >= 0),
    ],
)
def int_opendental_system_logs(
    stg_opendental__entrylog: ir.Table,
    stg_opendental__userod: ir.Table,
    stg_opendental__usergroupattach: ir.Table,
    stg_opendental__usergroup: ir.Table,
    stg_opendental__appointment: ir.Table,
    ctx: BuildContext,
) -> ir.Table:
    """The entrylog audit trail made readable: user, security groups, appointment and booking channel.

    - Groups come from usergroupattach (several per user); the group column on userod is deprecated
      in OpenDental and only a fallback. No invented group 0 (FAC §5.5 rule 3, §5.7).
    - OpenDental defines one FKey type, Appointment (0), so FKey is linked to the appointment;
      deleted appointments leave the appointment columns NULL (§5.5 rule 4).
    - A log row without a user (UserNum 0) is a system entry: an automated or online channel.
    - The spec's ``user_is_hidden`` is named ``user_is_hidden`` here: boolean names start with a
      predicate prefix (README §4.6, enforced by ``ibis-models check``).
    """
    e = stg_opendental__entrylog
    u = stg_opendental__userod.select(
        u_user_id="user_id",
        username="username",
        u_is_hidden="is_hidden",
        user_provider_id="provider_id",
        user_employee_id="employee_id",
        legacy_group_id="user_group_id",
    )

    attach = stg_opendental__usergroupattach
    groups = stg_opendental__usergroup.select(g_id="user_group_id", group_name="description")
    attached = (
        attach.filter(attach.user_id.notnull(), attach.user_group_id.notnull())
        .select(a_user_id=attach.user_id, a_group_id=attach.user_group_id)
        .distinct()
    )
    attached = attached.left_join(groups, attached.a_group_id == groups.g_id).select("a_user_id", "a_group_id", "group_name")
    group_stats = attached.group_by("a_user_id").aggregate(
        min_group_id=attached.a_group_id.min(), user_group_count=attached.a_group_id.nunique()
    )
    group_ids = sorted_list(attached, "a_user_id", "a_group_id", ",", name="user_group_ids")
    group_names = sorted_list(attached, "a_user_id", "group_name", "; ", name="user_group_names")

    appt = stg_opendental__appointment.select(
        appt_id="appointment_id", appointment_patient_id="patient_id", appointment_datetime="appointment_datetime"
    )

    e = e.mutate(
        clean_user_id=zero_to_null(e.user_id),
        linked_appointment_id=ibis.ifelse(
            (e.foreign_key_type == _APPOINTMENT) & (e.foreign_key > 0), e.foreign_key, ibis.null("int64")
        ),
    )
    j = e.left_join(u, e.clean_user_id == u.u_user_id)
    j = j.left_join(group_stats, e.clean_user_id == group_stats.a_user_id)
    j = j.left_join(group_ids, e.clean_user_id == group_ids.a_user_id)
    j = j.left_join(group_names, e.clean_user_id == group_names.a_user_id)
    j = j.left_join(appt, e.linked_appointment_id == appt.appt_id)

    return j.select(
        entry_log_id=j.entry_log_id,
        entry_datetime=j.entry_datetime,
        entry_date=j.entry_datetime.date(),
        user_id=j.clean_user_id,
        is_system_entry=j.clean_user_id.isnull(),
        username=j.username,
        user_is_hidden=j.u_is_hidden.fill_null(False),
        user_provider_id=zero_to_null(j.user_provider_id),
        user_employee_id=zero_to_null(j.user_employee_id),
        user_group_id=ibis.coalesce(j.min_group_id, zero_to_null(j.legacy_group_id)),
        user_group_ids=j.user_group_ids,
        user_group_names=j.user_group_names,
        user_group_count=j.user_group_count.fill_null(0).cast("int64"),
        foreign_key_type=j.foreign_key_type,
        foreign_key_type_description=decode(j.foreign_key_type, FOREIGN_KEY_TYPE),
        foreign_key=j.foreign_key,
        appointment_id=j.linked_appointment_id,
        appointment_patient_id=zero_to_null(j.appointment_patient_id),
        appointment_datetime=j.appointment_datetime,
        log_source=j.log_source,
        log_source_description=decode(j.log_source, LOG_SOURCE),
        log_source_channel=_log_source_channel(j.log_source),
        as_of_date=ibis.literal(ctx.as_of, type="date"),
    )
