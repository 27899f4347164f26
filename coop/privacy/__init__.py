"""The resident's AVG rights: a copy of everything stored (art. 15 and 20), being forgotten
(art. 17), retention per kind of data, and the processing register (art. 30)."""
