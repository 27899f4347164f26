"""Follow-ups: the dispatcher that sends the outbox, the periodic rules, one-click answers."""
