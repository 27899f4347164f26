"""Villages as tenants: the platform role creates them, with their first coordinator."""
