"""Matching: ranked candidates for a hulpvraag, the maps, and proposals helpers accept or decline."""
