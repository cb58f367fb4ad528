"""Card payments (issue 4): the PaymentProvider interface, its adapters and the idempotency setup.

Nothing here imports a provider SDK or Powertools idempotency at module level: `import app` stays cheap.
"""
