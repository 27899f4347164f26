"""What the demo's parts share: names, streets, the context they fill, and making a person."""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from coop.core.models import TaskCategory, User, Village
from coop.extensions import db

CENTRE = (52.0805, 5.3107)

STREETS = ["Dorpsstraat", "Kerkweg", "Lindelaan", "Schoollaan", "Akkerweg", "Bosrand", "Molenweg",
           "Piramidelaan", "Heideweg", "Beukenlaan", "Eikenhof", "Zandweg", "Brinkstraat", "Vinkenlaan"]
FIRST = ["Anna", "Bep", "Cor", "Dirk", "Els", "Fenna", "Gerrit", "Hennie", "Ineke", "Jan", "Kees",
         "Lies", "Marja", "Nel", "Otto", "Piet", "Riek", "Sjaak", "Truus", "Ursula", "Voske", "Wim",
         "Yvonne", "Zef", "Aad", "Bram", "Carla", "Daan", "Emma", "Fleur", "Gijs", "Hanna", "Iris",
         "Joost", "Karin", "Lotte", "Maarten", "Noor", "Olga", "Pim", "Roos", "Sanne", "Thijs"]
LAST = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
        "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
        "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "van Dijk", "Kok", "Schouten",
        "van Wijk", "Post", "Kuiper", "Veenstra", "Kramer", "van Beek", "Hoekstra", "Prins"]


@dataclass
class DemoContext:
    village: Village
    categories: dict[str, TaskCategory]
    coordinator: User
    municipality_user: User
    admin: User
    volunteers: list[User] = field(default_factory=list)
    professionals: list[User] = field(default_factory=list)
    residents: list[User] = field(default_factory=list)
    carers: list[User] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(1812))


def _spot(rng: random.Random, max_km: float = 1.6) -> tuple[float, float]:
    """A point within max_km of the village centre."""
    distance = max_km * math.sqrt(rng.random())
    angle = rng.random() * 2 * math.pi
    dlat = distance * math.cos(angle) / 111.2
    dlon = distance * math.sin(angle) / (111.2 * math.cos(math.radians(CENTRE[0])))
    return round(CENTRE[0] + dlat, 6), round(CENTRE[1] + dlon, 6)


def _person(ctx_rng, village, first, last, *, roles, email=None, pw_hash=None, n=0) -> User:
    lat, lon = _spot(ctx_rng)
    user = User(village=village, first_name=first, last_name=last, email=email, password_hash=pw_hash,
                phone=f"+316{20000000 + n * 7919 % 9999999:08d}", street=ctx_rng.choice(STREETS),
                house_number=str(ctx_rng.randint(1, 120)), postcode=f"3712 {chr(65 + n % 26)}{chr(65 + (n * 7) % 26)}",
                place="Austerlitz", lat=lat, lon=lon)
    for role in roles:
        user.add_role(role)
    db.session.add(user)
    return user


