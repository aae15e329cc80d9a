"""The day itself: badges, check-in at the door, sign-in sheets and attendance certificates."""
