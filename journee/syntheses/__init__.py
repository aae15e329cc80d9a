"""What the workshops and the day came up with: syntheses, the booklet, the public page."""
