"""Changes of the outreach app, one module per concept: `classes` (attendance),
`group_messages` (sending and the fan-out), `profiles` (the office's corrections)."""
