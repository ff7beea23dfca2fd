"""The API's routes; every router but ``public`` ones is mounted behind the bearer-token check (see app.py)."""
