"""The embedded local cloud for development: moto server, bootstrap, demo seed, dev server.

Nothing here is imported by the deployed app; moto is a development dependency.
"""
