"""The facilitator space: a personal secret link to one's own workshops."""
