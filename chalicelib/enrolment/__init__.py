"""Patients come into the portal: registration, invitations, activation and self-registration requests."""
