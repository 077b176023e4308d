"""Changes of recruitment, one module per concept.

Each state machine is one function checking one table of allowed transitions, kept beside the
model it describes: `review.change_application_status` (`models.APPLICATION_TRANSITIONS`) and
`trainees.change_stage` (`models.STAGE_TRANSITIONS`). Views, admin actions, imports and other
apps call these; they never set a status themselves.

- `applying`: eligibility, submitting, editing and withdrawing an application
- `review`: the office's review (status changes, quotas, scores, notes)
- `trainees`: the lifecycle stage, cohorts and their courses
- `transitions`: the error a move outside a table raises
"""
