"""Changes of recruitment, one module per concept.

Each state machine is one function checking one table of allowed transitions, kept beside the
model it describes: `review.change_application_status` (`models.APPLICATION_TRANSITIONS`) and
`trainees.change_stage` (`models.STAGE_TRANSITIONS`). Views, admin actions, imports and other
apps call these; they never set a status themselves.

- `applying`: eligibility, drafts, submitting, editing and withdrawing an application (and
  applying again after a withdrawal)
- `review`: the office's review (status changes, quotas, bulk decisions and their dry run, notes)
- `reviewers`: reviewers of an application and each reviewer's rubric scores
- `information`: "more information requested": the office's question, the applicant's answer
  and resubmission
- `trainees`: the lifecycle stage, cohorts and their courses
- `transitions`: the error a move outside a table raises
"""
