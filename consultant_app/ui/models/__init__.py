"""Item models over plain rows for the views."""
