"""CDK (Python) app: one stack per clinic, synthesized offline and checked with cdk-nag (see README)."""

import os

# jsii prints a large end-of-life banner on Node 20 (the Node this machine and CI have); the value lists
# the major versions to keep quiet about.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "18,20")
