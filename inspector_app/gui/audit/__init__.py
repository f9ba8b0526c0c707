"""The administrator's audit trail window."""
