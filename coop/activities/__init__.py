"""Ontmoeting: activities (coffee mornings, shared meals, exercise, outings) and their sign-ups."""
