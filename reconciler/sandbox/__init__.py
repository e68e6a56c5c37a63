"""A faithful local sandbox of the Zexa Campaigns API (in-process transport and HTTP server)."""
