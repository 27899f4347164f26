"""The task categories a new village starts with (the coordinator adapts them afterwards)."""
from __future__ import annotations

from coop.core.models import TaskCategory

# code, name, rule, description
STANDARD = [
    ("boodschappen", "Boodschappen", TaskCategory.OPEN, "Samen of voor iemand boodschappen doen."),
    ("vervoer", "Vervoer naar arts of ziekenhuis", TaskCategory.OPEN, "Een lift, en zo nodig mee naar binnen."),
    ("gezelschap", "Gezelschap en een praatje", TaskCategory.OPEN, "Samen koffie drinken, een wandeling."),
    ("klussen", "Kleine klussen en tuin", TaskCategory.OPEN, "Een lamp, een kastje, de heg."),
    ("administratie", "Hulp bij post en formulieren", TaskCategory.OPEN, "Samen de post doornemen."),
    ("respijt", "Respijt: gezelschap voor de mantelzorger", TaskCategory.OPEN,
     "De mantelzorger een middag vrij; de vrijwilliger is er als gezelschap."),
    ("respijt_zorg", "Respijt met persoonlijke verzorging", TaskCategory.TRAINED,
     "Overnemen van de mantelzorger, ook bij eten, drinken en toiletgang."),
    ("medicatie", "Hulp bij medicijnen", TaskCategory.TRAINED, "Herinneren en aanreiken, volgens afspraak."),
    ("wijkverpleging", "Wijkverpleging", TaskCategory.PROFESSIONAL, "Verpleegkundige zorg thuis."),
    ("woningaanpassing", "Woningaanpassing (Wmo)", TaskCategory.MUNICIPAL, "Via het Wmo-loket van de gemeente."),
    ("huishoudelijke_hulp", "Huishoudelijke hulp (Wmo)", TaskCategory.MUNICIPAL, "Indicatie via de gemeente."),
]
# Only help that needs no training: for a cooperative that starts small.
BASIC = [c for c in STANDARD if c[2] in (TaskCategory.OPEN, TaskCategory.MUNICIPAL)]

SETS = {"standaard": ("Standaard: alle soorten hulp", STANDARD),
        "eenvoudig": ("Eenvoudig: alleen hulp zonder opleiding, en Wmo-doorverwijzingen", BASIC)}


def categories_for(set_key: str, village_id: int) -> list[TaskCategory]:
    _label, rows = SETS[set_key]
    return [TaskCategory(village_id=village_id, code=code, name=name, rule=rule, description=description,
                         sort_order=i * 10) for i, (code, name, rule, description) in enumerate(rows)]
