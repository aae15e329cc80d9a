"""Personal data by design: the notice's settings, retention and purge, export, erasure."""
