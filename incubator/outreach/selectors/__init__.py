"""Reads of the outreach app: `classes`, `group_messages`, `supervision`."""
