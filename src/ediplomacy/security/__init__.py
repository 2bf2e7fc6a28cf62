"""People and access: staff accounts, roles, sign-in sessions and the tamper-evident audit log."""
