"""The demo service centre: a deterministic, simulated telecom-style customer-service centre."""
