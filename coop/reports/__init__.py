"""Anonymous reports for the coordinator and the gemeente: counts, never a person."""
