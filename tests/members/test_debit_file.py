"""The yearly direct-debit file: pain.008.001.02, valid against the official XSD (checked by
libxml2 against the copy in tests/vendor/sepa, not only by sepaxml's own check), with FRST for
a mandate's first debit and RCUR after it, and the creditor id checked as the EPC says."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from coop.core.errors import DomainError
from coop.members import sepa, service
from tests.members.conftest import CREDITOR_ID

XSD = Path(__file__).resolve().parents[1] / "vendor" / "sepa" / "pain.008.001.02.xsd"
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


def _validated(xml: str) -> etree._Element:
    doc = etree.fromstring(xml.encode("utf-8"))
    schema = _schema()
    assert schema.validate(doc), schema.error_log
    return doc


def test_the_yearly_file_validates_against_the_official_xsd(session, village, coordinator, bank, join, bep, piet,
                                                            make):
    first = join(bep)
    second = join(piet)
    join(make.user(village, first_name="Truus", last_name="de Wit"), debit=False)
    run = service.run_year(village, 2026, date(2026, 4, 1), by=coordinator)
    doc = _validated(run.debit_file)
    assert doc.findtext(".//p:GrpHdr/p:NbOfTxs", namespaces=NS) == "2"
    assert doc.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "50.00"
    assert doc.findtext(".//p:CdtrSchmeId//p:Othr/p:Id", namespaces=NS) == CREDITOR_ID
    assert doc.findtext(".//p:ReqdColltnDt", namespaces=NS) == "2026-04-01"
    assert {e.text for e in doc.iterfind(".//p:SeqTp", NS)} == {"FRST"}
    mandates = {e.findtext("p:MndtId", namespaces=NS): e.findtext("p:DtOfSgntr", namespaces=NS)
                for e in doc.iterfind(".//p:MndtRltdInf", NS)}
    assert mandates == {first.mandate.reference: "2026-01-01", second.mandate.reference: "2026-01-01"}
    debtors = {e.text for e in doc.iterfind(".//p:DrctDbtTxInf/p:DbtrAcct//p:IBAN", NS)}
    assert debtors == {first.mandate.iban, second.mandate.iban}


def test_a_mandate_s_second_debit_is_recurring(session, village, coordinator, bank, join, bep, clock_on_monday):
    join(bep)
    service.run_year(village, 2026, date(2026, 4, 1), by=coordinator)
    run = service.run_year(village, 2027, date(2027, 1, 20), by=coordinator)
    doc = _validated(run.debit_file)
    assert [e.text for e in doc.iterfind(".//p:SeqTp", NS)] == ["RCUR"]


def test_the_xsd_refuses_what_is_not_a_debit_file():
    """The check itself can fail: a file without its creditor is refused by the schema."""
    xml = sepa.debit_file(sepa.Creditor("Coop", "NL91ABNA0417164300", "ABNANL2A", CREDITOR_ID), [sepa.Debit(
        name="Bep", iban="NL20INGB0001234567", bic=None, amount=Decimal("25"), sequence="FRST",
        collection_date=date(2026, 4, 1), mandate_reference="A-1", mandate_signed_on=date(2026, 1, 1),
        description="Contributie", end_to_end_id="E-1")])[0]
    doc = etree.fromstring(xml.encode("utf-8"))
    for node in doc.iterfind(".//p:Cdtr", NS):
        node.getparent().remove(node)
    assert not _schema().validate(doc)


def test_the_creditor_id_check_follows_the_epc_rule():
    # The German test creditor id the Bundesbank publishes passes; so does ours.
    assert sepa.creditor_id_valid("DE98ZZZ09999999999")
    assert sepa.clean_creditor_id(f" {CREDITOR_ID[:4]} {CREDITOR_ID[4:]} ") == CREDITOR_ID
    wrong = CREDITOR_ID[:2] + f"{(int(CREDITOR_ID[2:4]) + 1) % 100:02d}" + CREDITOR_ID[4:]
    with pytest.raises(DomainError, match="controlecijfers"):
        sepa.clean_creditor_id(wrong)
    with pytest.raises(DomainError, match="19 tekens"):
        sepa.clean_creditor_id("NL12ZZZ1234")


def test_no_debit_file_without_the_cooperative_s_bank_details(session, village, coordinator, join, bep):
    join(bep)
    with pytest.raises(DomainError, match="incassant-ID"):
        service.run_year(village, 2026, date(2026, 4, 1), by=coordinator)
