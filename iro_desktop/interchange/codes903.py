"""SSDA903 tables and code lists (2025/26), with plain-English labels for the screens."""

from __future__ import annotations

HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODES_COLUMNS = (
    "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
    "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
)
REVIEWS_COLUMNS = ("CHILD", "DOB", "REVIEW", "REVIEW_CODE")
CHILDREN_COLUMNS = ("CHILD", "FIRST_NAME", "LAST_NAME", "PREFERRED_NAME")  # ours, optional
DATE_FORMAT = "%d/%m/%Y"

SEX = {"M": "Male", "F": "Female", "U": "Unknown"}
# The DfE return codes sex as 1 (male) and 2 (female); accepted on import.
SEX_NUMERIC = {"1": "M", "2": "F"}

ETHNICITY = {
    "WBRI": "White British", "WIRI": "White Irish", "WOTH": "Any other White background",
    "WIRT": "Traveller of Irish heritage", "WROM": "Gypsy/Roma",
    "MWBC": "White and Black Caribbean", "MWBA": "White and Black African",
    "MWAS": "White and Asian", "MOTH": "Any other mixed background",
    "AIND": "Indian", "APKN": "Pakistani", "ABAN": "Bangladeshi", "AOTH": "Any other Asian background",
    "BCRB": "Caribbean", "BAFR": "African", "BOTH": "Any other Black background",
    "CHNE": "Chinese", "OOTH": "Any other ethnic group", "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}

# RNE (903 guide; the validator's rule 436 treats B and U as both legal status and placement
# changed, rule 217 allows T and U for a child placed for adoption with their own foster carers).
REASON_NEW_EPISODE = {
    "S": "Started to be looked after",
    "L": "Change of legal status only",
    "P": "Change of placement and carer(s) only",
    "T": "Change of placement, carer(s) unchanged",
    "B": "Change of legal status, placement and carer(s) at the same time",
    "U": "Change of legal status and placement, carer(s) unchanged",
}

LEGAL_STATUS = {
    "C1": "Interim care order", "C2": "Full care order", "D1": "Freeing order",
    "E1": "Placement order", "V2": "Section 20 (single period)",
    "V3": "Short breaks (single occasion)", "V4": "Short breaks (series)",
    "L1": "Police protection", "L2": "Emergency protection order", "L3": "Child assessment order",
    "J1": "Remanded to local authority", "J2": "Remanded (PACE transfer)",
    "J3": "Youth justice (residence requirement)",
}

# The 903 guide's placement codes, as the public validator reads them: U1/U4 long term (rule 384),
# A3/A5 placed for adoption with the current foster carers (rule 217), A5/A6 under a placement
# order (rule 408: legal status E1), so A3/A4 with consent; T1 hospital (rule 375), T3 the usual
# foster carers' holiday (rule 376), T4 seven days or less (rule 379); K1 secure (rule 710), K3
# 16 and over (rule 371). U2/U5 (the 903 guide): carers who are also approved adopters, fostering
# for adoption (FFA) or concurrent planning; U3/U6 neither long term nor FFA.
PLACEMENT = {
    "U1": "Foster: family/friends, long term",
    "U2": "Foster: family/friends, FFA/concurrent planning",
    "U3": "Foster: family/friends, other",
    "U4": "Foster: other carer, long term",
    "U5": "Foster: other carer, FFA/concurrent planning",
    "U6": "Foster: other carer, other",
    "A3": "Placed for adoption with consent, with current foster carers",
    "A4": "Placed for adoption with consent, not with current foster carers",
    "A5": "Placed for adoption with placement order, with current foster carers",
    "A6": "Placed for adoption with placement order, not with current foster carers",
    "K1": "Secure children's home", "K2": "Children's home",
    "K3": "Supported accommodation (16 and over)",
    "R1": "Residential care home", "R2": "NHS/health trust", "R3": "Family centre / mother and baby",
    "R5": "Young offender institution or prison", "S1": "Residential school",
    "P1": "Placed with parents", "P3": "Residential employment",
    "T0": "Temporary: all types of temporary move", "T1": "Temporary: hospital",
    "T2": "Temporary: the child's holiday",
    "T3": "Temporary: while the usual foster carers are on holiday",
    "T4": "Temporary: seven days or less, other reason",
    "Z11": "Other: Ofsted-registered", "Z12": "Other: not registered, with support",
    "Z13": "Other: unregistered provision", "Z14": "Other placement",
}

PLACE_PROVIDER = {
    "PR0": "Parent(s) / person with parental responsibility", "PR1": "Own provision (by the LA)",
    "PR2": "Other LA provision", "PR3": "Other public provision", "PR4": "Private provision",
    "PR5": "Voluntary/third sector provision",
}

CIN = {f"N{i}": label for i, label in enumerate(
    ["Abuse or neglect", "Child's disability", "Parental illness or disability",
     "Family in acute stress", "Family dysfunction", "Socially unacceptable behaviour",
     "Low income", "Absent parenting"], start=1)}

# REC: why an episode ended (the DfE 903 guide's list, as in csc-validator-be-903 rule 149).
# X1 = a new episode starts the same day (care continues); every other code ends the period of care.
REASON_ENDED = {
    "X1": "Episode ceases, new episode begins on same day",
    "E11": "Adopted: application for an adoption order unopposed",
    "E12": "Adopted: consent dispensed with by the court",
    "E13": "Left care to live with parents, relatives or others with no parental responsibility",
    "E14": "Accommodation on remand ended",
    "E15": "Age assessment found the child is 18 or over",
    "E16": "Child moved abroad",
    "E17": "Aged 18 or over and stayed with current carers (staying put)",
    "E2": "Died",
    "E3": "Care taken over by another local authority in the UK",
    "E41": "Residence order or child arrangements order granted",
    "E45": "Special guardianship order: former foster carers who are relatives or friends",
    "E46": "Special guardianship order: former foster carers, not relatives or friends",
    "E47": "Special guardianship order: other carers who are relatives or friends",
    "E48": "Special guardianship order: other carers, not relatives or friends",
    "E4A": "Returned home to parents or others with parental responsibility (planned)",
    "E4B": "Returned home to parents or others with parental responsibility (not planned)",
    "E5": "Moved to independent living with formal advice or support",
    "E6": "Moved to independent living without formal advice or support",
    "E7": "Transferred to residential care funded by adult social care",
    "E8": "Period of care ended for any other reason",
    "E9": "Sentenced to custody",
}

REASON_PLACE_CHANGE = {
    "CARPL": "Change to/implementation of care plan", "CLOSE": "Resignation/closure of provision",
    "ALLEG": "Allegation (s47)", "STAND": "Standards of care concern",
    "APPRR": "Approval removed", "CREQB": "Carer request: behaviour", "CREQO": "Carer request: other",
    "CHILD": "Child requests", "LAREQ": "LA request: other", "PLACE": "Change in placement status",
    "CUSTOD": "Custody arrangement", "OTHER": "Other",
}

REVIEW_CODES = ("PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")


def label(table: dict[str, str], code: str) -> str:
    """'C2 Full care order', or the bare code when unknown."""
    text = table.get(code)
    return f"{code} {text}" if text else code
