"""Two versions of an agreement side by side, with what changed marked.

Rows are matched on their stable key, so a renamed domain is shown as changed, not as one
removed and one added.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from coop.agreements.models import PARTIES, ROLES, AgreementRow, AgreementVersion

DETAIL_FIELDS = (("title", "Titel"), ("starts_on", "Begint op"), ("ends_on", "Eindigt op"),
                 ("review_on", "Evaluatie op"), ("cooperative_contact", "Contactpersoon coöperatie"),
                 ("municipality_contact", "Contactpersoon gemeente"))


@dataclass
class CellDiff:
    label: str
    left: str
    right: str

    @property
    def changed(self) -> bool:
        return self.left != self.right


@dataclass
class RowDiff:
    key: str
    domain: str
    state: str  # "same", "changed", "added", "removed"
    cells: list[CellDiff] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return {"same": "ongewijzigd", "changed": "gewijzigd", "added": "nieuw",
                "removed": "vervallen"}[self.state]


@dataclass
class Comparison:
    left: AgreementVersion
    right: AgreementVersion
    details: list[CellDiff]
    rows: list[RowDiff]

    @property
    def changed_count(self) -> int:
        return sum(1 for r in self.rows if r.state != "same") + sum(1 for d in self.details if d.changed)


def _cell_text(row: AgreementRow | None, party: str) -> str:
    cell = row.cell(party) if row else None
    if cell is None or (not cell.role and not cell.note):
        return ""
    role = ROLES.get(cell.role or "", "")
    return f"{role} – {cell.note}" if role and cell.note else (role or cell.note)


def _row_values(row: AgreementRow | None) -> list[tuple[str, str]]:
    values = [("Onderwerp", row.domain if row else "")]
    values += [(label, _cell_text(row, party)) for party, label in PARTIES.items()]
    values += [("Financiering", row.funding if row else ""), ("Toelichting", row.note if row else "")]
    return values


def compare(left: AgreementVersion, right: AgreementVersion) -> Comparison:
    if left.agreement_id != right.agreement_id:
        raise ValueError("versions of different agreements")
    details = [CellDiff(label, str(getattr(left, name) or ""), str(getattr(right, name) or ""))
               for name, label in DETAIL_FIELDS]
    left_rows = {r.key: r for r in left.rows}
    right_rows = {r.key: r for r in right.rows}
    order = [r.key for r in right.rows] + [r.key for r in left.rows if r.key not in right_rows]
    rows = []
    for key in order:
        a, b = left_rows.get(key), right_rows.get(key)
        cells = [CellDiff(label, lv, rv) for (label, lv), (_, rv) in zip(_row_values(a), _row_values(b), strict=True)]
        if a is None:
            state = "added"
        elif b is None:
            state = "removed"
        else:
            state = "changed" if any(c.changed for c in cells) else "same"
        shown = b or a
        assert shown is not None  # every key comes from one of the two versions
        rows.append(RowDiff(key=key, domain=shown.domain, state=state, cells=cells))
    return Comparison(left=left, right=right, details=details, rows=rows)
