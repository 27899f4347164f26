"""Competences, backstops, the volunteer agreement and the VOG date can be changed and removed;
who did it and when shows on the person's page."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coop.core import roles as R
from coop.core.clock import local_now
from coop.core.models import AuditLog
from coop.people import service
from coop.people.models import Competence


def papers(client, person, **data):
    return client.post(f"/mensen/{person.id}/vrijwilliger", data={
        "papieren-submit": "1", **{f"papieren-{k}": v for k, v in data.items()}})


def test_vog_and_agreement_are_corrected_and_removed_with_history(
        client_as, session, volunteer, coordinator, village, make):
    shopping = make.category(village, "boodschappen")
    coord = client_as(coordinator)
    old_vog = volunteer.volunteer_profile.vog_date
    new_vog = local_now().date() - timedelta(days=10)
    signed = volunteer.volunteer_profile.volunteer_contract_signed_on
    assert papers(coord, volunteer, vog_date=new_vog.isoformat(), contract_date=signed.isoformat()).status_code == 302
    session.expire_all()
    assert volunteer.volunteer_profile.vog_date == new_vog
    assert service.ineligibility_reasons(volunteer, shopping) == []
    # Removed: the volunteer may no longer help, and says why.
    assert papers(coord, volunteer, vog_date="", contract_date="").status_code == 302
    session.expire_all()
    profile = volunteer.volunteer_profile
    assert profile.vog_date is None and profile.volunteer_contract_signed_on is None
    assert service.ineligibility_reasons(volunteer, shopping) == ["geen VOG"]
    details = [row.detail for row in session.scalars(select(AuditLog).where(
        AuditLog.subject_user_id == volunteer.id, AuditLog.action.in_(("volunteer.vog", "volunteer.contract")))
        .order_by(AuditLog.id))]
    assert details == [f"VOG-datum gewijzigd van {old_vog:%d-%m-%Y} naar {new_vog:%d-%m-%Y}",
                       f"VOG-datum {new_vog:%d-%m-%Y} verwijderd",
                       f"Vrijwilligersovereenkomst getekend op {signed:%d-%m-%Y} verwijderd"]
    page = coord.get(f"/mensen/{volunteer.id}").text
    history = page.split('data-testid="history"')[1].split("</table>")[0]
    assert f"VOG: VOG-datum {new_vog:%d-%m-%Y} verwijderd" in history
    assert "vrijwilligersovereenkomst: Vrijwilligersovereenkomst getekend op" in history
    assert history.count("Marieke van Dam") == 3  # who, on each of the three changes
    assert "person.viewed" not in history and "bekeken" not in history


def test_competence_backstop_is_changed_removed_and_the_competence_deleted(
        client_as, session, volunteer, coordinator, professional, make, village):
    medication = make.category(village, "medicatie")
    other_pro = make.professional(village, first_name="Sanne", last_name="Smit")
    coord = client_as(coordinator)
    added = coord.post(f"/mensen/{volunteer.id}/vrijwilliger", data={
        "bevoegd-category": medication.id, "bevoegd-backstop": professional.id,
        "bevoegd-note": "Training gevolgd", "bevoegd-submit": "1"})
    assert added.status_code == 302
    competence = session.scalar(select(Competence).where(Competence.volunteer_id == volunteer.id))
    assert service.ineligibility_reasons(volunteer, medication) == []
    prefix = f"bevoegdheid-{competence.id}-"
    url = f"/mensen/{volunteer.id}/bevoegdheden/{competence.id}"
    page = coord.get(f"/mensen/{volunteer.id}/vrijwilliger").text
    assert f'action="{url}"' in page and "geen achterwacht" in page and "verwijderen" in page
    # Another backstop.
    assert coord.post(url, data={prefix + "backstop": other_pro.id, prefix + "note": "Training gevolgd"}
                      ).status_code == 302
    session.expire_all()
    assert competence.backstop_id == other_pro.id
    # No backstop: the task is not allowed, with the reason.
    assert coord.post(url, data={prefix + "backstop": "0", prefix + "note": "Wacht op nieuwe achterwacht"}
                      ).status_code == 302
    session.expire_all()
    assert competence.backstop_id is None and competence.note == "Wacht op nieuwe achterwacht"
    assert service.ineligibility_reasons(volunteer, medication) == ["geen professionele achterwacht"]
    # A backstop who is no professional is refused in Dutch and changes nothing.
    resident = make.user(village, R.RESIDENT)
    session.commit()
    refused = coord.post(url, data={prefix + "backstop": resident.id, prefix + "note": ""})
    assert refused.status_code == 422
    # Removed altogether.
    assert coord.post(f"{url}/verwijderen").status_code == 302
    session.expire_all()
    assert session.get(Competence, competence.id) is None
    assert service.ineligibility_reasons(volunteer, medication) == ["niet bevoegd voor hulp bij medicijnen"]
    history = coord.get(f"/mensen/{volunteer.id}").text.split('data-testid="history"')[1]
    assert "bevoegdheid vastgelegd: Hulp bij medicijnen, achterwacht Anna de Wit" in history
    assert "bevoegdheid gewijzigd: Hulp bij medicijnen: achterwacht Anna de Wit → achterwacht Sanne Smit" in history
    assert ("bevoegdheid gewijzigd: Hulp bij medicijnen: achterwacht Sanne Smit → geen achterwacht; "
            "toelichting gewijzigd") in history
    assert "bevoegdheid verwijderd: Hulp bij medicijnen" in history


def test_a_competence_of_someone_else_is_404(client_as, session, volunteer, coordinator, professional, make,
                                             village, other_village):
    medication = make.category(village, "medicatie")
    other = make.volunteer(village)
    competence = service.record_competence(other, category=medication, backstop=professional, note="",
                                           by=coordinator)
    session.flush()
    coord = client_as(coordinator)
    assert coord.post(f"/mensen/{volunteer.id}/bevoegdheden/{competence.id}/verwijderen").status_code == 404
    assert coord.post(f"/mensen/{volunteer.id}/bevoegdheden/{competence.id}",
                      data={f"bevoegdheid-{competence.id}-backstop": "0"}).status_code == 404
    outsider = make.user(other_village, R.COORDINATOR)
    assert client_as(outsider).post(f"/mensen/{other.id}/bevoegdheden/{competence.id}/verwijderen").status_code == 404
    assert session.get(Competence, competence.id) is not None


def test_age_band_change_is_its_own_history_entry_beside_the_dates(client_as, session, volunteer, coordinator):
    coord = client_as(coordinator)
    profile = volunteer.volunteer_profile
    vog, signed = profile.vog_date.isoformat(), profile.volunteer_contract_signed_on.isoformat()
    assert papers(coord, volunteer, vog_date=vog, contract_date=signed, under_21="y").status_code == 302
    assert papers(coord, volunteer, vog_date=vog, contract_date=signed, under_21="y").status_code == 302
    session.expire_all()
    assert volunteer.volunteer_profile.under_21 is True
    rows = session.scalars(select(AuditLog).where(AuditLog.subject_user_id == volunteer.id,
                                                  AuditLog.action.like("volunteer.%")).order_by(AuditLog.id)).all()
    # The dates did not change and the second save changed nothing: one entry only.
    assert [(r.action, r.detail) for r in rows] == [("volunteer.age_band", "21 jaar of ouder → jonger dan 21 jaar")]
    history = coord.get(f"/mensen/{volunteer.id}").text.split('data-testid="history"')[1].split("</table>")[0]
    assert "leeftijd voor de vrijwilligersvergoeding: 21 jaar of ouder → jonger dan 21 jaar" in history
