"""Places: distances, addresses to coordinates (offline gazetteer or online services), maps."""
