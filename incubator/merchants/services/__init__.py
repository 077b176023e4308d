"""Changes of the merchants app, one module per concept. Every function is keyword-only and
checks nothing about who calls it: views and admin views check permissions first.

- `shops`: registering, editing and verifying a shop
- `sales`: monthly sales reports and the window in which they may be corrected
- `activity`: the active/dormant merchant stage
- `reminders`: the monthly reminder to report sales
- `graduation`: approving graduations, certificates (issue, PDF, revoke)
"""
