"""Changes of the mentors app, one module per concept.

Every function is keyword-only, runs in one transaction and refuses bad input with a
`ValidationError` whose message is one of the module's constants (tests assert them exactly).
Permission to act on a trainee is checked here, not only hidden in the pages.

- `profiles`: a mentor's own profile (invitations, which grant the role, are in `mentors.invitations`)
- `assignment`: giving a trainee a mentor by hand, ending an assignment
- `matching`: automatic assignment (a proposal first, then apply it)
- `reviews`: the mentor's review of a practical-task submission
- `checkins`: contacts logged with a trainee
- `recommendations`: recommending a trainee for graduation, withdrawing it
- `digest`: the mentor's daily digest
"""
