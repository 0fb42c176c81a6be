"""The API's JSON body parser: a body must be a JSON object.

django-ninja's ``Schema`` reads any Python object through its attributes, so a body of ``1``,
``"x"`` or ``[]`` validated as an empty object: a PATCH whose fields are all optional answered
200 and changed nothing (schemathesis ST201, "schema-violating request accepted"). Every JSON
body of this API is an object, so anything else is refused here; ninja answers 400 ("Cannot
parse request body") with the API's error shape.
"""

from __future__ import annotations

import json

from django.http import HttpRequest
from ninja.parser import Parser
from ninja.types import DictStrAny


class JsonObjectParser(Parser):
    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data
