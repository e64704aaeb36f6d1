"""int_opendental_system_logs on hand-made entrylog rows, on DuckDB and Postgres (FAC §5)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ibis_models.opendental.intermediate.foundation.int_opendental_system_logs import LOG_SOURCE_CHANNELS
from tests.opendental.harness import data_test_statuses

AS_OF = dt.date(2025, 6, 30)
TS = dt.datetime


def _null(value) -> bool:
    return value is None or bool(pd.isna(value))


RAW = {
    "entrylog": [
        # front desk user in two groups (one listed twice), booked appointment 100 in the desktop program
        dict(EntryLogNum=1, UserNum=5, FKeyType=0, FKey=100, LogSource=0, EntryDateTime=TS(2025, 6, 1, 9, 15)),
        # Web Sched booking by a new patient: no logged-in user
        dict(EntryLogNum=2, UserNum=0, FKeyType=0, FKey=101, LogSource=7, EntryDateTime=TS(2025, 6, 2, 22, 5)),
        # user with only the legacy userod group; appointment since deleted
        dict(EntryLogNum=3, UserNum=6, FKeyType=0, FKey=999, LogSource=16, EntryDateTime=TS(2025, 6, 3, 7, 0)),
        # hidden user without any group; a FKey of 0 links nothing; a code newer than our list
        dict(EntryLogNum=4, UserNum=7, FKeyType=0, FKey=0, LogSource=26, EntryDateTime=TS(2025, 6, 4, 12, 0)),
        # user missing from userod; an unknown FKey type is not an appointment
        dict(EntryLogNum=5, UserNum=8, FKeyType=3, FKey=100, LogSource=23, EntryDateTime=TS(2025, 6, 30, 23, 59)),
        # patient portal and automation channels
        dict(EntryLogNum=6, UserNum=0, FKeyType=0, FKey=101, LogSource=25, EntryDateTime=TS(2025, 5, 1)),
        dict(EntryLogNum=7, UserNum=0, FKeyType=0, FKey=100, LogSource=8, EntryDateTime=TS(2025, 5, 2)),
    ],
    "userod": [
        dict(UserNum=5, UserName="frontdesk", ProvNum=0, EmployeeNum=12, UserGroupNum=1),
        dict(UserNum=6, UserName="drlee", ProvNum=3, UserGroupNum=4),
        dict(UserNum=7, UserName="olduser", IsHidden=1, UserGroupNum=0),
    ],
    "usergroup": [
        dict(UserGroupNum=2, Description="Front Desk"),
        dict(UserGroupNum=10, Description="Billing"),
    ],
    "usergroupattach": [
        dict(UserGroupAttachNum=1, UserNum=5, UserGroupNum=10),
        dict(UserGroupAttachNum=2, UserNum=5, UserGroupNum=2),
        dict(UserGroupAttachNum=3, UserNum=5, UserGroupNum=10),  # duplicate attachment
        dict(UserGroupAttachNum=4, UserNum=5, UserGroupNum=30),  # group row missing
        dict(UserGroupAttachNum=5, UserNum=0, UserGroupNum=2),  # no user
    ],
    "appointment": [
        dict(AptNum=100, PatNum=41, AptDateTime=TS(2025, 6, 10, 8, 0)),
        dict(AptNum=101, PatNum=42, AptDateTime=TS(2025, 6, 12, 14, 30)),
    ],
}


def test_int_opendental_system_logs_links_users_groups_appointments_and_channels(build):
    built = build("int_opendental_system_logs", RAW, as_of=AS_OF)
    assert list(built.frame.entry_log_id) == [1, 2, 3, 4, 5, 6, 7]
    assert list(built.frame.columns)[-1] == "as_of_date"

    staff = built.row(entry_log_id=1)
    assert staff["user_id"] == 5 and not staff["is_system_entry"] and staff["username"] == "frontdesk"
    assert staff["user_group_id"] == 2 and staff["user_group_ids"] == "2,10,30" and staff["user_group_count"] == 3
    assert staff["user_group_names"] == "Billing; Front Desk"
    assert _null(staff["user_provider_id"]) and staff["user_employee_id"] == 12 and not staff["user_is_hidden"]
    assert staff["appointment_id"] == 100 and staff["appointment_patient_id"] == 41
    assert staff["appointment_datetime"] == pd.Timestamp("2025-06-10 08:00:00")
    assert staff["foreign_key_type_description"] == "Appointment"
    assert staff["log_source_description"] == "None" and staff["log_source_channel"] == "desktop"
    assert pd.Timestamp(staff["entry_date"]) == pd.Timestamp("2025-06-01")

    web = built.row(entry_log_id=2)
    assert _null(web["user_id"]) and web["is_system_entry"] and _null(web["username"]) and not web["user_is_hidden"]
    assert _null(web["user_group_id"]) and _null(web["user_group_ids"]) and web["user_group_count"] == 0
    assert web["appointment_patient_id"] == 42
    assert web["log_source_description"] == "WebSchedNewPatAppt" and web["log_source_channel"] == "web_sched"

    legacy = built.row(entry_log_id=3)
    assert legacy["user_group_id"] == 4 and _null(legacy["user_group_ids"]) and legacy["user_group_count"] == 0
    assert legacy["user_provider_id"] == 3
    assert legacy["appointment_id"] == 999 and _null(legacy["appointment_patient_id"])  # deleted appointment
    assert legacy["log_source_description"] == "ODMobile" and legacy["log_source_channel"] == "mobile"

    hidden = built.row(entry_log_id=4)
    assert hidden["user_is_hidden"] and _null(hidden["user_group_id"])
    assert _null(hidden["foreign_key"]) and _null(hidden["appointment_id"])
    assert hidden["log_source_description"] == "Unknown" and hidden["log_source_channel"] == "unknown"

    stranger = built.row(entry_log_id=5)
    assert stranger["user_id"] == 8 and _null(stranger["username"]) and not stranger["is_system_entry"]
    assert stranger["foreign_key"] == 100 and _null(stranger["appointment_id"])
    assert stranger["foreign_key_type_description"] == "Unknown"
    assert stranger["log_source_description"] == "API" and stranger["log_source_channel"] == "integration"

    assert built.row(entry_log_id=6)["log_source_channel"] == "patient_portal"
    assert built.row(entry_log_id=7)["log_source_description"] == "AutoConfirmations"
    assert built.row(entry_log_id=7)["log_source_channel"] == "automation"


def test_int_opendental_system_logs_data_tests_warn_on_new_codes_and_late_entries(build, target_url):
    raw = dict(RAW)
    raw["entrylog"] = [*RAW["entrylog"], dict(EntryLogNum=8, UserNum=9, LogSource=0, EntryDateTime=TS(2025, 7, 1, 0, 0))]
    build("int_opendental_system_logs", raw, as_of=AS_OF)
    statuses = data_test_statuses(target_url, "int_opendental_system_logs", AS_OF)
    assert statuses["accepted_values(log_source)"] == "warn"  # code 26
    assert statuses["accepted_values(foreign_key_type)"] == "warn"  # type 3
    assert statuses["entry_datetime_not_after_as_of"] == "warn"  # 1 July, not the 30 June 23:59 row
    assert statuses["user_group_list_matches_count"] == "pass"
    assert not {name for name, status in statuses.items() if status == "fail"}


def test_int_opendental_system_logs_channels_partition_the_known_log_sources():
    codes = [c for group in LOG_SOURCE_CHANNELS.values() for c in group]
    assert sorted(codes) == list(range(26))
