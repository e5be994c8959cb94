"""Deployment: the nginx configuration in front of gunicorn, and the command that runs both."""
