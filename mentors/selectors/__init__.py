"""Reads of the mentors app, one module per concept.

- `relations`: who mentors whom (now or before), open recommendations, mentors' loads
- `mentor_area`: the mentor's own pages: trainees with progress and risks, the review queue, check-ins
- `trainee_file`: a trainee's file as their mentor and the office read it
"""
