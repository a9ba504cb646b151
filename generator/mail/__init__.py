"""E-mail plumbing that knows nothing of briefs: addresses, the MIME message, SMTP."""
