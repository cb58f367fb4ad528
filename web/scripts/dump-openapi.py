"""Print the API's OpenAPI document (GET /openapi.json) as stable JSON, for generating the web app's types.

Asks the Chalice app itself through chalice.test.Client, so it needs no server, no AWS and no knowledge of
where the backend keeps its modules: only that the repository root has app.py with `app`.
Run from anywhere: python web/scripts/dump-openapi.py > web/openapi.json
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The spec is built from the models; nothing is read from AWS. Dummy settings keep importing the app offline.
for name, value in {
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "TABLE_NAME": "openapi-dump",
}.items():
    os.environ.setdefault(name, value)

sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

from chalice.test import Client  # noqa: E402

from app import app  # noqa: E402

with Client(app) as client:
    response = client.http.get("/openapi.json")
if response.status_code != 200:
    sys.exit(f"GET /openapi.json answered {response.status_code}: {response.body[:300]!r}")
print(json.dumps(json.loads(response.body), indent=1, sort_keys=True))
