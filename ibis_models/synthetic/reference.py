"""Practice-wide lookup lists: the definition table (every DefCat), CDT procedure codes and fees.

Every coded column elsewhere takes its ids from here (``Reference.defnum``, ``Reference.codenum``), so
no DefNum or CodeNum is ever a literal (enumerations §5).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ibis_models.synthetic._columns import Rows, child_rng, money

__all__ = ["Reference", "build_reference", "CODES"]

# (category, name, item value, hidden). One block per DefCat 0-55 (enumerations §6).
_DEFINITIONS: tuple[tuple[int, str, str, int], ...] = (
    (0, "Default", "", 0),
    (0, "Payment", "", 0),
    (0, "Adjustment", "", 0),
    (0, "Insurance Payment", "", 0),
    (1, "Professional Courtesy", "-", 0),
    (1, "Senior Discount", "-", 0),
    (1, "Cash Discount", "-", 0),
    (1, "Family Discount", "-", 0),
    (1, "Employee Discount", "-", 0),
    (1, "New Patient Discount", "-", 0),
    (1, "Insurance Write Off", "-", 0),
    (1, "Bad Debt Write Off", "-", 0),
    (1, "Late Charge", "+", 0),
    (1, "Finance Charge", "+", 0),
    (1, "Sales Tax", "+", 0),
    (1, "Reverse Credit", "+", 0),
    (1, "Insurance Refund", "+", 0),
    (1, "Discount Plan", "dp", 0),
    (1, "Old Courtesy", "-", 1),
    (2, "Not Called", "", 0),
    (2, "Unconfirmed", "UNC", 0),
    (2, "Left Message", "LM", 0),
    (2, "eConfirmSent", "ECS", 0),
    (2, "Confirmed", "C", 0),
    (2, "AppointmentConfirmed", "EC", 0),
    (2, "Arrived", "A", 0),
    (2, "In Chair", "IC", 0),
    (2, "Checked Out", "CO", 0),
    (2, "eConfirmCallBack", "ECB", 0),
    (2, "eConfirmFailure", "ECF", 0),
    (2, "Created from Web Sched", "WS", 0),
    (2, "Old Confirmed", "OC", 1),
    (3, "Prophy/BWX", "D1110,D0120,D0274", 0),
    (3, "Child Prophy", "D1120,D0120,D1206", 0),
    (4, "Standard Account", "", 0),
    (4, "Insurance Only", "", 0),
    (4, "Collections", "", 0),
    (4, "Finance Charge Exempt", "", 0),
    (4, "Bad Debt", "", 1),
    (5, "Claim Formats (unused)", "", 1),
    (6, "Dunning (unused)", "", 1),
    (7, "Standard Fees (old)", "", 1),
    (8, "Medical Notes (unused)", "", 1),
    (9, "Op 1 (old)", "", 1),
    (10, "Credit Card", "", 0),
    (10, "Check", "", 0),
    (10, "Cash", "", 0),
    (10, "Care Credit", "", 0),
    (10, "Online Payment", "", 0),
    (10, "Refund", "", 0),
    (10, "Old Visa", "", 1),
    (11, "Exams & Xrays", "", 0),
    (11, "Cleanings", "", 0),
    (11, "Fillings", "", 0),
    (11, "Crowns & Bridges", "", 0),
    (11, "Endo", "", 0),
    (11, "Perio", "", 0),
    (11, "Dentures", "", 0),
    (11, "Implants", "", 0),
    (11, "Oral Surgery", "", 0),
    (11, "Ortho", "", 0),
    (11, "Misc", "", 0),
    (11, "No Fee", "", 0),
    (11, "Obsolete", "", 1),
    (12, "TP", "", 0),
    (12, "Complete", "", 0),
    (12, "Existing", "", 0),
    (13, "Left Message", "", 0),
    (13, "Texted", "", 0),
    (13, "Emailed", "", 0),
    (13, "Will Call", "", 0),
    (13, "No Answer", "", 0),
    (13, "Scheduled", "", 0),
    (13, "Do Not Contact", "", 1),
    (14, "Service Notes (unused)", "", 1),
    (15, "Discount Types (unused)", "", 1),
    (16, "Caries", "", 0),
    (16, "Fracture", "", 0),
    (16, "Abscess", "", 0),
    (16, "Periodontitis", "", 0),
    (16, "Missing Tooth", "", 0),
    (16, "Attrition", "", 0),
    (17, "Hygiene", "", 0),
    (17, "Restorative", "", 0),
    (17, "Emergency", "", 0),
    (18, "Patient Pictures", "P", 0),
    (18, "X-Rays", "XT", 0),
    (18, "Patient Forms", "F", 0),
    (18, "Insurance Cards", "", 0),
    (18, "Treatment Plans", "R", 0),
    (18, "Statements", "S", 0),
    (18, "Claim Attachments", "C", 0),
    (18, "Clinical Photos", "M", 0),
    (18, "Old Scans", "", 1),
    (19, "Phone Notes (unused)", "", 1),
    (20, "Priority 1", "", 0),
    (20, "Priority 2", "", 0),
    (20, "Priority 3", "", 0),
    (20, "Watch", "", 0),
    (21, "Family Module Coverage", "", 0),
    (22, "Treatment Planned", "", 0),
    (22, "Completed", "", 0),
    (23, "Specialists", "", 0),
    (23, "Labs", "", 0),
    (24, "Recall Letters", "", 0),
    (25, "Lunch", "", 0),
    (25, "Meeting", "", 0),
    (25, "Emergency Hold", "", 0),
    (25, "New Patient Hold", "", 0),
    (25, "Crown Hold", "", 0),
    (26, "Common", "", 0),
    (26, "Perio", "", 0),
    (27, "Appointment Related", "APPT", 0),
    (27, "Insurance", "", 0),
    (27, "Financial", "FIN", 0),
    (27, "Recall", "RECALL", 0),
    (27, "Misc", "MISC", 0),
    (27, "Texting", "TEXT", 0),
    (27, "Reactivation", "REACT", 0),
    (28, "Office Supplies", "", 0),
    (28, "Clinical Supplies", "", 0),
    (29, "Prepayment", "", 0),
    (29, "Treat Plan Prepayment", "X", 0),
    (30, "Good", "", 0),
    (30, "Fair", "", 0),
    (30, "Poor", "", 0),
    (30, "Hopeless", "", 0),
    (31, "Sent", "", 0),
    (31, "Pending Info", "", 0),
    (31, "Appealed", "", 0),
    (31, "Resubmitted", "", 0),
    (32, "Check", "", 0),
    (32, "EFT", "", 0),
    (32, "Virtual Credit Card", "", 0),
    (33, "Normal", "", 0),
    (33, "High", "", 0),
    (33, "Low", "", 0),
    (34, "Fee Override", "", 0),
    (35, "General", "", 0),
    (35, "Hygienist", "", 0),
    (35, "Endodontics", "", 0),
    (35, "Pediatric", "", 0),
    (35, "Perio", "", 0),
    (35, "Prosth", "", 0),
    (35, "Ortho", "", 0),
    (35, "Denturist", "", 0),
    (35, "Surgery", "", 0),
    (35, "Assistant", "", 0),
    (35, "LabTech", "", 0),
    (35, "Pathology", "", 0),
    (35, "PublicHealth", "", 0),
    (35, "Radiology", "", 0),
    (36, "Denied - Frequency", "", 0),
    (36, "Denied - Not Covered", "", 0),
    (36, "Missing Information", "", 0),
    (36, "Paid in Full", "", 0),
    (37, "Quick Charge", "", 0),
    (38, "Verified", "", 0),
    (38, "Unverified", "", 0),
    (38, "Attempted", "", 0),
    (38, "See Notes", "", 0),
    (39, "Main", "", 0),
    (40, "Default", "", 0),
    (41, "Exams", "", 0),
    (41, "Procedures", "", 0),
    (42, "New Patient Exam", "", 0),
    (43, "Missing Attachment", "", 0),
    (43, "Invalid Subscriber ID", "", 0),
    (44, "General Dentistry", "", 0),
    (45, "Normal", "", 0),
    (46, "Delta Dental", "", 0),
    (46, "Blue Cross", "", 0),
    (46, "Other Commercial", "", 0),
    (47, "Standard Plan", "", 0),
    (48, "Operating Account", "", 0),
    (49, "Commercial", "", 0),
    (50, "Sick Leave", "", 0),
    (51, "Recall Visit", "", 0),
    (52, "CPR", "", 0),
    (53, "Insurance Card Front", "", 0),
    (54, "General", "", 0),
    (55, "Hygiene", "", 0),
    (55, "Restorative", "", 0),
)

# CDT codes: (code, description, abbreviation, office UCR fee, insurance category, treat area, hygiene).
# Categories feed covcat and benefit percentages; fees follow volumes.md §4 "typical office fee".
CODES: tuple[tuple[str, str, str, float, str, int, int], ...] = (
    ("D0120", "periodic oral evaluation - established patient", "PerEx", 62, "diag", 3, 0),
    ("D0140", "limited oral evaluation - problem focused", "LimEx", 92, "diag", 3, 0),
    ("D0145", "oral evaluation for a patient under three years of age", "Ex<3", 55, "diag", 3, 0),
    ("D0150", "comprehensive oral evaluation - new or established patient", "CompEx", 115, "diag", 3, 0),
    ("D0160", "detailed and extensive oral evaluation - problem focused", "DetEx", 150, "diag", 3, 0),
    ("D0170", "re-evaluation - limited, problem focused", "ReEval", 70, "diag", 3, 0),
    ("D0180", "comprehensive periodontal evaluation", "PerioEx", 120, "diag", 3, 0),
    ("D0210", "intraoral - comprehensive series of radiographic images", "FMX", 160, "xray", 3, 0),
    ("D0220", "intraoral - periapical first radiographic image", "PA", 34, "xray", 2, 0),
    ("D0230", "intraoral - periapical each additional radiographic image", "PA2", 28, "xray", 2, 0),
    ("D0240", "intraoral - occlusal radiographic image", "Occl", 45, "xray", 3, 0),
    ("D0272", "bitewings - two radiographic images", "2BW", 58, "xray", 3, 0),
    ("D0273", "bitewings - three radiographic images", "3BW", 68, "xray", 3, 0),
    ("D0274", "bitewings - four radiographic images", "4BW", 80, "xray", 3, 0),
    ("D0330", "panoramic radiographic image", "Pano", 135, "xray", 3, 0),
    ("D0340", "2D cephalometric radiographic image", "Ceph", 120, "xray", 3, 0),
    ("D0367", "cone beam CT capture and interpretation", "CBCT", 350, "xray", 3, 0),
    ("D0431", "adjunctive pre-diagnostic test for mucosal abnormalities", "OCScr", 60, "diag", 3, 0),
    ("D0460", "pulp vitality tests", "PulpV", 45, "diag", 2, 0),
    ("D0470", "diagnostic casts", "Casts", 90, "diag", 3, 0),
    ("D1110", "prophylaxis - adult", "Pro", 118, "prev", 3, 1),
    ("D1120", "prophylaxis - child", "ChPro", 82, "prev", 3, 1),
    ("D1206", "topical application of fluoride varnish", "FlVarn", 47, "prev", 3, 1),
    ("D1208", "topical application of fluoride - excluding varnish", "Fl", 40, "prev", 3, 1),
    ("D1320", "tobacco counseling for the control and prevention of oral disease", "Tobac", 35, "prev", 3, 1),
    ("D1351", "sealant - per tooth", "Seal", 57, "prev", 2, 1),
    ("D1354", "application of caries arresting medicament - per tooth", "SDF", 40, "prev", 2, 1),
    ("D1510", "space maintainer - fixed, unilateral - per quadrant", "SpMnt", 350, "prev", 4, 0),
    ("D2140", "amalgam - one surface, primary or permanent", "A1", 145, "basic", 1, 0),
    ("D2150", "amalgam - two surfaces, primary or permanent", "A2", 180, "basic", 1, 0),
    ("D2160", "amalgam - three surfaces, primary or permanent", "A3", 215, "basic", 1, 0),
    ("D2161", "amalgam - four or more surfaces, primary or permanent", "A4", 250, "basic", 1, 0),
    ("D2330", "resin-based composite - one surface, anterior", "C1", 170, "basic", 1, 0),
    ("D2331", "resin-based composite - two surfaces, anterior", "C2", 205, "basic", 1, 0),
    ("D2332", "resin-based composite - three surfaces, anterior", "C3", 245, "basic", 1, 0),
    ("D2335", "resin-based composite - four or more surfaces, anterior", "C4", 285, "basic", 1, 0),
    ("D2391", "resin-based composite - one surface, posterior", "PC1", 195, "basic", 1, 0),
    ("D2392", "resin-based composite - two surfaces, posterior", "PC2", 240, "basic", 1, 0),
    ("D2393", "resin-based composite - three surfaces, posterior", "PC3", 285, "basic", 1, 0),
    ("D2394", "resin-based composite - four or more surfaces, posterior", "PC4", 330, "basic", 1, 0),
    ("D2510", "inlay - metallic - one surface", "InlM1", 900, "major", 1, 0),
    ("D2542", "onlay - metallic - two surfaces", "OnlM2", 1100, "major", 1, 0),
    ("D2610", "inlay - porcelain/ceramic - one surface", "InlP1", 1050, "major", 1, 0),
    ("D2740", "crown - porcelain/ceramic", "CrnPC", 1350, "major", 2, 0),
    ("D2750", "crown - porcelain fused to high noble metal", "PFMHN", 1300, "major", 2, 0),
    ("D2751", "crown - porcelain fused to predominantly base metal", "PFMBM", 1150, "major", 2, 0),
    ("D2790", "crown - full cast high noble metal", "FGC", 1300, "major", 2, 0),
    ("D2920", "re-cement or re-bond crown", "Recem", 120, "basic", 2, 0),
    ("D2930", "prefabricated stainless steel crown - primary tooth", "SSC", 300, "basic", 2, 0),
    ("D2940", "protective restoration", "ProtR", 110, "basic", 2, 0),
    ("D2950", "core buildup, including any pins when required", "BU", 290, "major", 2, 0),
    ("D2954", "prefabricated post and core in addition to crown", "P&C", 350, "major", 2, 0),
    ("D2962", "labial veneer (porcelain laminate) - indirect", "Venr", 1400, "major", 2, 0),
    ("D3110", "pulp cap - direct (excluding final restoration)", "PCap", 60, "endo", 2, 0),
    ("D3220", "therapeutic pulpotomy (excluding final restoration)", "Pulpot", 230, "endo", 2, 0),
    ("D3310", "endodontic therapy, anterior tooth", "RCTAnt", 925, "endo", 2, 0),
    ("D3320", "endodontic therapy, premolar tooth", "RCTPre", 1050, "endo", 2, 0),
    ("D3330", "endodontic therapy, molar tooth", "RCTMol", 1275, "endo", 2, 0),
    ("D3346", "retreatment of previous root canal therapy - anterior", "ReRCTA", 1100, "endo", 2, 0),
    ("D3348", "retreatment of previous root canal therapy - molar", "ReRCTM", 1500, "endo", 2, 0),
    ("D3410", "apicoectomy - anterior", "Apico", 1000, "endo", 2, 0),
    ("D4210", "gingivectomy or gingivoplasty - four or more teeth per quadrant", "Gingv", 600, "perio", 4, 0),
    ("D4249", "clinical crown lengthening - hard tissue", "CrnLn", 800, "perio", 2, 0),
    ("D4341", "periodontal scaling and root planing - four or more teeth per quadrant", "SRP4+", 270, "perio", 4, 1),
    ("D4342", "periodontal scaling and root planing - one to three teeth per quadrant", "SRP1-3", 190, "perio", 4, 1),
    ("D4346", "scaling in presence of generalized gingival inflammation", "ScInfl", 150, "perio", 3, 1),
    ("D4355", "full mouth debridement to enable a comprehensive evaluation", "FMD", 185, "perio", 3, 1),
    ("D4381", "localized delivery of antimicrobial agents - per tooth", "Arestin", 85, "perio", 2, 1),
    ("D4910", "periodontal maintenance", "PerMnt", 160, "perio", 3, 1),
    ("D5110", "complete denture - maxillary", "FUD", 2050, "prosth", 6, 0),
    ("D5120", "complete denture - mandibular", "FLD", 2050, "prosth", 6, 0),
    ("D5213", "maxillary partial denture - cast metal framework", "PUD", 2100, "prosth", 6, 0),
    ("D5214", "mandibular partial denture - cast metal framework", "PLD", 2100, "prosth", 6, 0),
    ("D5410", "adjust complete denture - maxillary", "AdjDen", 85, "prosth", 6, 0),
    ("D5750", "reline complete maxillary denture (indirect)", "Relin", 450, "prosth", 6, 0),
    ("D6010", "surgical placement of implant body: endosteal implant", "Impl", 2200, "implant", 2, 0),
    ("D6056", "prefabricated abutment - includes modification and placement", "Abut", 750, "implant", 2, 0),
    ("D6058", "abutment supported porcelain/ceramic crown", "ImpCrn", 1500, "implant", 2, 0),
    ("D6065", "implant supported porcelain/ceramic crown", "ImpCr2", 1550, "implant", 2, 0),
    ("D6240", "pontic - porcelain fused to high noble metal", "Pontc", 1250, "major", 2, 0),
    ("D6750", "retainer crown - porcelain fused to high noble metal", "RetCr", 1300, "major", 2, 0),
    ("D7140", "extraction, erupted tooth or exposed root", "Ext", 200, "surg", 2, 0),
    ("D7210", "extraction, erupted tooth requiring removal of bone", "SurgEx", 325, "surg", 2, 0),
    ("D7220", "removal of impacted tooth - soft tissue", "ImpST", 380, "surg", 2, 0),
    ("D7230", "removal of impacted tooth - partially bony", "ImpPB", 450, "surg", 2, 0),
    ("D7240", "removal of impacted tooth - completely bony", "ImpCB", 500, "surg", 2, 0),
    ("D7310", "alveoloplasty in conjunction with extractions - four or more teeth", "Alvpl", 300, "surg", 4, 0),
    ("D7953", "bone replacement graft for ridge preservation - per site", "BGraft", 550, "surg", 2, 0),
    ("D8080", "comprehensive orthodontic treatment of the adolescent dentition", "OrthoA", 6000, "ortho", 3, 0),
    ("D8090", "comprehensive orthodontic treatment of the adult dentition", "OrthoD", 6500, "ortho", 3, 0),
    ("D8670", "periodic orthodontic treatment visit", "OrthoV", 150, "ortho", 3, 0),
    ("D9110", "palliative treatment of dental pain - per visit", "Pall", 125, "adj", 3, 0),
    ("D9215", "local anesthesia in conjunction with operative or surgical procedures", "LA", 45, "adj", 3, 0),
    ("D9230", "inhalation of nitrous oxide/analgesia, anxiolysis", "N2O", 80, "adj", 3, 0),
    ("D9310", "consultation - diagnostic service provided by dentist", "Consult", 120, "adj", 3, 0),
    ("D9944", "occlusal guard - hard appliance, full arch", "NGuard", 550, "adj", 6, 0),
    ("D9972", "external bleaching - per arch - performed in office", "Bleach", 350, "adj", 6, 0),
    ("D9986", "missed appointment", "Missed", 50, "none", 3, 0),
    ("D9987", "cancelled appointment", "Cancel", 0, "none", 3, 0),
    ("N4101", "post-op check", "PostOp", 0, "none", 3, 0),
    ("N4102", "insurance narrative letter", "Narr", 0, "none", 3, 0),
    ("N4103", "watch tooth", "Watch", 0, "none", 2, 0),
    ("Z0001", "treatment plan consultation (office code)", "TxCons", 0, "none", 3, 0),
)

_CATEGORY_TO_PROCCAT = {
    "diag": "Exams & Xrays",
    "xray": "Exams & Xrays",
    "prev": "Cleanings",
    "basic": "Fillings",
    "major": "Crowns & Bridges",
    "endo": "Endo",
    "perio": "Perio",
    "prosth": "Dentures",
    "implant": "Implants",
    "surg": "Oral Surgery",
    "ortho": "Ortho",
    "adj": "Misc",
    "none": "No Fee",
}


@dataclass(frozen=True, slots=True)
class Reference:
    """Ids of the lookup rows and the code catalogue as arrays (index = CodeNum - 1)."""

    def_num: dict[tuple[int, str], int]
    def_hidden: frozenset[int]
    code_num: dict[str, int]
    code_fee: np.ndarray  # office UCR fee per CodeNum - 1
    code_category: tuple[str, ...]
    tables: dict[str, Rows]

    def defnum(self, category: int, name: str) -> int:
        return self.def_num[(category, name)]

    def defnums(self, category: int, *, visible: bool = True) -> np.ndarray:
        return np.array(
            [num for (cat, _), num in self.def_num.items() if cat == category and not (visible and num in self.def_hidden)],
            dtype=np.int64,
        )

    def codenum(self, code: str) -> int:
        return self.code_num[code]


def build_reference(seed: int, start_day: int) -> Reference:
    """The definition and procedurecode tables (fees, fee schedules and covcat live in ``catalog``)."""
    rng = child_rng(seed, "reference")
    n_def = len(_DEFINITIONS)
    categories = np.array([d[0] for d in _DEFINITIONS], dtype=np.int64)
    order = np.zeros(n_def, dtype=np.int64)
    for cat in np.unique(categories):
        where = np.flatnonzero(categories == cat)
        order[where] = np.arange(where.size)
    colors = rng.integers(-16_777_216, -1, size=n_def)
    definition = Rows(
        n_def,
        {
            "DefNum": np.arange(1, n_def + 1),
            "Category": categories,
            "ItemOrder": order,
            "ItemName": np.array([d[1] for d in _DEFINITIONS]),
            "ItemValue": np.array([d[2] for d in _DEFINITIONS]),
            "ItemColor": np.where(np.isin(categories, [0, 12, 17, 21, 22, 34]), colors, 0),
            "IsHidden": np.array([d[3] for d in _DEFINITIONS]),
        },
    )
    def_num = {(d[0], d[1]): i + 1 for i, d in enumerate(_DEFINITIONS)}
    hidden = frozenset(i + 1 for i, d in enumerate(_DEFINITIONS) if d[3])

    n_code = len(CODES)
    codes = [c[0] for c in CODES]
    category = tuple(c[4] for c in CODES)
    stamp = start_day * 86_400 - rng.integers(30, 900, size=n_code) * 86_400 + rng.integers(0, 86_400, size=n_code)
    minutes = np.array([_proc_minutes(c[0]) for c in CODES])
    procedurecode = Rows(
        n_code,
        {
            "CodeNum": np.arange(1, n_code + 1),
            "ProcCode": np.array(codes),
            "Descript": np.array([c[1] for c in CODES]),
            "AbbrDesc": np.array([c[2] for c in CODES]),
            "ProcTime": np.array(["X" * max(1, m // 10) for m in minutes]),
            "ProcCat": np.array([def_num[(11, _CATEGORY_TO_PROCCAT[c])] for c in category]),
            "TreatArea": np.array([c[5] for c in CODES]),
            "NoBillIns": np.array([1 if c[4] == "none" else 0 for c in CODES]),
            "IsProsth": np.array([1 if c[4] in {"major", "prosth", "implant"} else 0 for c in CODES]),
            "IsHygiene": np.array([c[6] for c in CODES]),
            "PaintType": np.where(np.array([c[4] for c in CODES]) == "basic", 1, 0),
            "LaymanTerm": np.array([c[1].split(" - ")[0] for c in CODES]),
            "IsRadiology": np.array([1 if c[4] == "xray" else 0 for c in CODES]),
            "DefaultClaimNote": "",
            "DefaultTPNote": "",
            "DiagnosticCodes": "",
            "DateTStamp": stamp,
        },
    )
    return Reference(
        def_num=def_num,
        def_hidden=hidden,
        code_num={code: i + 1 for i, code in enumerate(codes)},
        code_fee=money(np.array([c[3] for c in CODES], dtype=float)),
        code_category=category,
        tables={"definition": definition, "procedurecode": procedurecode},
    )


def _proc_minutes(code: str) -> int:
    if code.startswith(("D27", "D29", "D6", "D5")):
        return 60
    if code.startswith(("D3", "D4341", "D7")):
        return 50
    if code.startswith("D2"):
        return 40
    return 10
