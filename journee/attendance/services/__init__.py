"""What the attendance pages do, by subject: badges, presence at the door, sign-in sheets
and attendance certificates. Pure services: no request, no session."""
