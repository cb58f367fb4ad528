"""Service calls as a route makes them: the guard's patient check first.

Every route whose path names {patient_id} is authorized for that patient by the access guard before its
view calls a service (tests/api/test_security_matrix.py proves it for every route). Unit tests of "who
may reach this patient" call services the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from chalicelib.core import access
from chalicelib.core.access import Caller

T = TypeVar("T")


def routed(service_call: Callable[..., T], caller: Caller, patient_id: str, *args: Any, **kwargs: Any) -> T:
    access.authorize_patient(caller, patient_id)
    return service_call(caller, patient_id, *args, **kwargs)
