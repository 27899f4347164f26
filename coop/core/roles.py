"""The roles a person can hold (several at once); docs/glossary.md gives their Dutch names."""
RESIDENT = "resident"
CARER = "carer"
VOLUNTEER = "volunteer"
PROFESSIONAL = "professional"
COORDINATOR = "coordinator"
MUNICIPALITY = "municipality"
ADMIN = "admin"
PLATFORM = "platform"

ALL = (RESIDENT, CARER, VOLUNTEER, PROFESSIONAL, COORDINATOR, MUNICIPALITY, ADMIN, PLATFORM)
STAFF = (COORDINATOR, ADMIN)
HELPERS = (VOLUNTEER, PROFESSIONAL)

LABELS = {
    RESIDENT: "inwoner",
    CARER: "mantelzorger",
    VOLUNTEER: "vrijwilliger",
    PROFESSIONAL: "zorgprofessional",
    COORDINATOR: "dorpsondersteuner",
    MUNICIPALITY: "gemeente",
    ADMIN: "beheerder",
    PLATFORM: "platformbeheer",
}
