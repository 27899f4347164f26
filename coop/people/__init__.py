"""People: residents, volunteers and professionals, their profiles and what they may do."""
