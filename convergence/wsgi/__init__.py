"""WSGI scripts: importing one builds its ``application`` (and reads the
configuration), as a WSGI server expects; nothing else imports them."""
