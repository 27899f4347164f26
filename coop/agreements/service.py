"""The rules of an agreement: who may change what, when, and how versions move.

The status of a version moves only through `apply_transition` and the one table TRANSITIONS
(taken by the shared state machine, coop/core/states.py).
Only a draft can be edited; an agreed version is never changed in place: `start_revision`
copies it into a new draft. Every step writes a line on the agreement's history.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coop.agreements.models import (
    AGREED,
    COOPERATIVE,
    DRAFT,
    MUNICIPALITY,
    PARTIES,
    PROPOSED,
    ROLES,
    STATUS_LABELS,
    SUPERSEDED,
    Agreement,
    AgreementEvent,
    AgreementRow,
    AgreementVersion,
    ResponsibilityCell,
    RowComment,
    SignOff,
)
from coop.core import roles as R
from coop.core.clock import now
from coop.core.errors import DomainError
from coop.core.guard import may_see_gemeente_matters
from coop.core.models import User, Village
from coop.core.states import Lifecycle, Step, Transition
from coop.extensions import db

# The domains a new agreement starts with (editable afterwards).
DEFAULT_DOMAINS = (
    ("shopping", "Boodschappen"),
    ("transport", "Vervoer en begeleiding"),
    ("company", "Gezelschap en eenzaamheid"),
    ("meeting", "Ontmoeting en activiteiten"),
    ("odd_jobs", "Klussen en tuin"),
    ("meals", "Maaltijden"),
    ("respite", "Respijtzorg voor mantelzorgers"),
    ("carer_support", "Ondersteuning van mantelzorgers"),
    ("household", "Huishoudelijke hulp (Wmo)"),
    ("housing", "Woningaanpassing (Wmo)"),
    ("personal_care", "Persoonlijke verzorging (Zvw/Wlz)"),
    ("medication", "Medicatie"),
    ("volunteers", "Werving en scholing van vrijwilligers"),
    ("advice", "Informatie en advies"),
)


@dataclass(frozen=True, init=False)
class SideStep(Step):
    side: str | None  # who may take the step; None: the system, after both sign-offs

    def __init__(self, sources: set[str], target: str, label: str, *, side: str | None = None) -> None:
        super().__init__(sources, target, label)
        object.__setattr__(self, "side", side)


TRANSITIONS: dict[str, SideStep] = {
    "propose": SideStep({DRAFT}, PROPOSED, "voorgesteld aan de gemeente", side=COOPERATIVE),
    "withdraw": SideStep({PROPOSED}, DRAFT, "teruggenomen om aan te passen", side=COOPERATIVE),
    "request_changes": SideStep({PROPOSED}, DRAFT, "wijzigingen gevraagd", side=MUNICIPALITY),
    "agree": SideStep({PROPOSED}, AGREED, "afgesproken: beide kanten hebben getekend"),
    "supersede": SideStep({AGREED}, SUPERSEDED, "vervangen door een nieuwere versie"),
}


# --- who is who ---------------------------------------------------------------------------

def side_of(user: User) -> str | None:
    """The side a user acts for: the coordinator for the cooperative, the gemeente user for it."""
    if user.has_role(R.MUNICIPALITY):
        return MUNICIPALITY
    if user.has_role(R.COORDINATOR):
        return COOPERATIVE
    return None


def may_see(agreement: Agreement, user: User) -> bool:
    return may_see_gemeente_matters(user, agreement.village_id, agreement.municipality_id)


def _require_side(user: User, side: str, what: str) -> None:
    if side_of(user) != side:
        who = "de dorpsondersteuner" if side == COOPERATIVE else "de gemeente"
        raise DomainError(f"Alleen {who} kan {what}.")


def _require_draft(version: AgreementVersion) -> None:
    if version.status == AGREED:
        raise DomainError("Deze versie is afgesproken en kan niet meer worden gewijzigd. "
                          "Begin een nieuwe versie om iets te veranderen.")
    if version.status != DRAFT:
        raise DomainError(f"Alleen een concept kan worden gewijzigd; deze versie is "
                          f"'{STATUS_LABELS[version.status]}'.")
    if version is not version.agreement.latest:
        raise DomainError("Alleen de nieuwste versie kan worden gewijzigd.")


def record(agreement: Agreement, version: AgreementVersion, actor: User | None, action: str,
           label: str, note: str = "") -> AgreementEvent:
    event = AgreementEvent(agreement=agreement, version_number=version.number, at=now(),
                           actor_id=actor.id if actor else None, action=action, label=label,
                           note=(note or "").strip())
    db.session.add(event)
    return event


def _record(step: Transition[AgreementVersion]) -> AgreementEvent:
    version = step.subject
    if step.target == AGREED:
        version.agreed_at = step.at
    return record(version.agreement, version, step.by, step.action, step.step.label, step.note)


LIFECYCLE: Lifecycle[AgreementVersion] = Lifecycle("afspraak", TRANSITIONS, labels=STATUS_LABELS,
                      refusal="Dit kan niet: deze versie is nu '{label}'.", record=_record)


@LIFECYCLE.guard()
def _taken_by_its_side(version: AgreementVersion, action: str, by: User | None) -> None:
    step = TRANSITIONS[action]
    if step.side is not None:
        if by is None:
            raise DomainError("Deze stap vraagt om iemand die hem zet.")
        _require_side(by, step.side, step.label)


@LIFECYCLE.after("withdraw", "request_changes")
def _drop_sign_offs(step: Transition[AgreementVersion]) -> None:
    """Back to the drawing board: earlier signatures no longer cover what will be changed."""
    for sign_off in list(step.subject.sign_offs):
        step.subject.sign_offs.remove(sign_off)  # delete-orphan removes the row


def apply_transition(version: AgreementVersion, action: str, *, by: User | None,
                     note: str = "") -> AgreementEvent:
    """Move `version` along `action` from the table, or raise DomainError saying why not."""
    return LIFECYCLE.apply(version, action, by=by, note=note).record


# --- making and editing -------------------------------------------------------------------

def _check_details(title: str, starts_on: date | None, ends_on: date | None, review_on: date | None) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError("Geef de afspraak een titel.", field="title")
    if starts_on is None or ends_on is None:
        raise DomainError("Vul de periode in.", field="starts_on")
    if ends_on < starts_on:
        raise DomainError("De einddatum ligt vóór de begindatum.", field="ends_on")
    if review_on is None:
        raise DomainError("Vul de datum in waarop u de afspraak samen bekijkt.", field="review_on")
    if review_on < starts_on:
        raise DomainError("De evaluatiedatum ligt vóór het begin van de afspraak.", field="review_on")
    return title


def create_agreement(village: Village, *, by: User, title: str, starts_on: date, ends_on: date,
                     review_on: date, cooperative_contact: str = "",
                     municipality_contact: str = "") -> Agreement:
    """A new agreement as version 1, a draft with the default domains and empty cells."""
    _require_side(by, COOPERATIVE, "een afspraak opstellen")
    if village.municipality_id is None:
        raise DomainError("Dit dorp hoort nog bij geen gemeente; vraag de beheerder dat in te stellen.")
    title = _check_details(title, starts_on, ends_on, review_on)
    agreement = Agreement(village_id=village.id, municipality_id=village.municipality_id,
                          created_by_id=by.id)
    db.session.add(agreement)
    version = AgreementVersion(number=1, status=DRAFT, title=title,
                               starts_on=starts_on, ends_on=ends_on, review_on=review_on,
                               cooperative_contact=(cooperative_contact or "").strip(),
                               municipality_contact=(municipality_contact or "").strip())
    for position, (key, domain) in enumerate(DEFAULT_DOMAINS):
        version.rows.append(_new_row(key, domain, position))
    agreement.versions.append(version)
    record(agreement, version, by, "create", "opgesteld")
    return agreement


def _new_row(key: str, domain: str, position: int) -> AgreementRow:
    return AgreementRow(key=key, domain=domain, position=position,
                        cells=[ResponsibilityCell(party=p, role=None, note="") for p in PARTIES])


def update_details(version: AgreementVersion, *, by: User, title: str, starts_on: date,
                   ends_on: date, review_on: date, cooperative_contact: str,
                   municipality_contact: str) -> None:
    _require_side(by, COOPERATIVE, "de afspraak wijzigen")
    _require_draft(version)
    version.title = _check_details(title, starts_on, ends_on, review_on)
    version.starts_on, version.ends_on, version.review_on = starts_on, ends_on, review_on
    version.cooperative_contact = (cooperative_contact or "").strip()[:160]
    version.municipality_contact = (municipality_contact or "").strip()[:160]
    record(version.agreement, version, by, "edit", "gegevens gewijzigd")


def _row_or_refuse(version: AgreementVersion, row_id: int | str) -> AgreementRow:
    try:
        row = version.row(int(row_id))
    except (TypeError, ValueError):
        row = None
    if row is None:
        raise DomainError("Dit onderwerp bestaat niet in deze versie van de afspraak.")
    return row


def update_row(version: AgreementVersion, row_id: int | str, *, by: User, domain: str, funding: str,
               note: str, cells: dict[str, tuple[str | None, str]]) -> AgreementRow:
    """Save one domain: its name, funding, note and a role (or none) plus note per party."""
    _require_side(by, COOPERATIVE, "de afspraak wijzigen")
    _require_draft(version)
    row = _row_or_refuse(version, row_id)
    domain = (domain or "").strip()
    if not domain:
        raise DomainError("Geef het onderwerp een naam.", field="domain")
    for party, (role, _cell_note) in cells.items():
        if party not in PARTIES:
            raise DomainError("Onbekende partij.")
        if role and role not in ROLES:
            raise DomainError(f"Kies een rol voor {PARTIES[party]} uit de lijst.", field=f"role_{party}")
    row.domain, row.funding, row.note = domain[:120], (funding or "").strip()[:160], (note or "").strip()
    for party, (role, cell_note) in cells.items():
        cell = row.cell(party)
        if cell is None:
            cell = ResponsibilityCell(party=party)
            row.cells.append(cell)
        cell.role = role or None
        cell.note = (cell_note or "").strip()[:300]
    record(version.agreement, version, by, "edit_row", f"onderwerp '{row.domain}' gewijzigd")
    return row


def add_row(version: AgreementVersion, *, by: User, domain: str) -> AgreementRow:
    _require_side(by, COOPERATIVE, "de afspraak wijzigen")
    _require_draft(version)
    domain = (domain or "").strip()
    if not domain:
        raise DomainError("Geef het nieuwe onderwerp een naam.", field="domain")
    position = max((r.position for r in version.rows), default=-1) + 1
    row = _new_row(f"row-{secrets.token_hex(6)}", domain[:120], position)
    version.rows.append(row)
    record(version.agreement, version, by, "add_row", f"onderwerp '{row.domain}' toegevoegd")
    return row


def remove_row(version: AgreementVersion, row_id: int | str, *, by: User) -> None:
    _require_side(by, COOPERATIVE, "de afspraak wijzigen")
    _require_draft(version)
    row = _row_or_refuse(version, row_id)
    version.rows.remove(row)  # delete-orphan removes the row and its cells
    record(version.agreement, version, by, "remove_row", f"onderwerp '{row.domain}' verwijderd")


def add_comment(version: AgreementVersion, row_id: int | str, *, by: User, text: str) -> RowComment:
    """A remark on one domain, by either side, while the version is still under discussion."""
    side = side_of(by)
    if side is None:
        raise DomainError("Alleen de dorpsondersteuner en de gemeente kunnen reageren.")
    row = _row_or_refuse(version, row_id)
    if version.status not in (DRAFT, PROPOSED):
        raise DomainError("Op een afgesproken versie kunt u niet meer reageren; "
                          "begin een nieuwe versie om iets te veranderen.")
    text = (text or "").strip()
    if not text:
        raise DomainError("Schrijf uw opmerking.", field="text")
    if len(text) > 2000:
        raise DomainError("Houd uw opmerking korter dan 2000 tekens.", field="text")
    comment = RowComment(row=row, author_id=by.id, side=side, text=text, at=now())
    db.session.add(comment)
    record(version.agreement, version, by, "comment", f"opmerking bij '{row.domain}'", text)
    return comment


# --- the workflow -------------------------------------------------------------------------

def propose(version: AgreementVersion, *, by: User, note: str = "") -> AgreementEvent:
    if version is not version.agreement.latest:
        raise DomainError("Alleen de nieuwste versie kan worden voorgesteld.")
    return apply_transition(version, "propose", by=by, note=note)


def withdraw(version: AgreementVersion, *, by: User, note: str = "") -> AgreementEvent:
    return apply_transition(version, "withdraw", by=by, note=note)


def request_changes(version: AgreementVersion, *, by: User, note: str = "") -> AgreementEvent:
    return apply_transition(version, "request_changes", by=by, note=note)


def sign(version: AgreementVersion, *, by: User, name: str) -> SignOff:
    """Sign for one's own side; when both sides have signed the version is agreed."""
    side = side_of(by)
    if side is None:
        raise DomainError("Alleen de dorpsondersteuner en de gemeente kunnen tekenen.")
    if version.status != PROPOSED:
        raise DomainError(f"Alleen een voorgestelde versie kan worden getekend; deze versie is "
                          f"'{STATUS_LABELS[version.status]}'.")
    if version.signed_by(side) is not None:
        raise DomainError(f"Voor {'de coöperatie' if side == COOPERATIVE else 'de gemeente'} is "
                          f"deze versie al getekend.")
    name = (name or "").strip()
    if not name:
        raise DomainError("Vul de naam in waarmee u tekent.", field="name")
    sign_off = SignOff(side=side, user_id=by.id, name=name[:160], signed_at=now())
    version.sign_offs.append(sign_off)
    record(version.agreement, version, by, "sign",
           f"getekend voor {'de coöperatie' if side == COOPERATIVE else 'de gemeente'} door {sign_off.name}")
    if version.signed_by(COOPERATIVE) and version.signed_by(MUNICIPALITY):
        previous = version.agreement.in_force
        apply_transition(version, "agree", by=None)
        if previous is not None and previous is not version:
            apply_transition(previous, "supersede", by=None)
    return sign_off


def start_revision(agreement: Agreement, *, by: User) -> AgreementVersion:
    """Copy the agreed version into a new draft: the agreed text itself is never edited."""
    _require_side(by, COOPERATIVE, "een nieuwe versie beginnen")
    latest = agreement.latest
    if latest.status != AGREED:
        raise DomainError("Er is al een versie in bewerking; werk die eerst af.")
    version = AgreementVersion(
        number=latest.number + 1, status=DRAFT, title=latest.title,
        starts_on=latest.starts_on, ends_on=latest.ends_on, review_on=latest.review_on,
        cooperative_contact=latest.cooperative_contact, municipality_contact=latest.municipality_contact)
    for row in latest.rows:
        version.rows.append(AgreementRow(
            key=row.key, position=row.position, domain=row.domain, funding=row.funding, note=row.note,
            cells=[ResponsibilityCell(party=c.party, role=c.role, note=c.note) for c in row.cells]))
    agreement.versions.append(version)
    record(agreement, version, by, "revise", f"nieuwe versie {version.number} begonnen")
    return version


# --- reading ------------------------------------------------------------------------------

def agreements_for(user: User) -> list[Agreement]:
    # The list shows each agreement's latest version and the one in force; the home panel
    # also asks who signed the latest: all of it in two queries beside the agreements.
    query = (select(Agreement).order_by(Agreement.created_at.desc())
             .options(selectinload(Agreement.versions).selectinload(AgreementVersion.sign_offs)))
    if user.has_role(R.MUNICIPALITY) and user.village.municipality_id is not None:
        query = query.where(Agreement.municipality_id == user.village.municipality_id)
    else:
        query = query.where(Agreement.village_id == user.village_id)
    return [a for a in db.session.scalars(query) if may_see(a, user)]


def agreements_due_for_review(on_date: date, days_ahead: int = 30) -> list[Agreement]:
    """Agreements whose version in force is due for review between on_date and days_ahead later.

    For the follow-ups: a reminder to the coordinator and the gemeente before the review date.
    """
    until = on_date + timedelta(days=days_ahead)
    rows = db.session.scalars(
        select(Agreement).join(AgreementVersion)
        .where(AgreementVersion.status == AGREED, AgreementVersion.review_on >= on_date,
               AgreementVersion.review_on <= until)
        .order_by(AgreementVersion.review_on)).unique().all()
    return list(rows)
