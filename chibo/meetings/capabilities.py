"""The capability the meetings add to the permission policy (registered in the app's ready())."""

MANAGE_MEETINGS = "meeting.manage"
