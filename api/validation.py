"""Validate request bodies and query strings with serializers, raising the contract's errors."""

from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.request import Request

from api.exceptions import QueryParameterValidationError, RequestBodyValidationError


def serialize_errors(errors: Any) -> Any:
    """Turn DRF's error structure into Baserow's: every leaf becomes {"error", "code"}."""
    if isinstance(errors, dict):
        return {key: serialize_errors(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [serialize_errors(value) for value in errors]
    code = errors.code if isinstance(errors, ErrorDetail) else "invalid"
    return {"error": str(errors), "code": code}


def validated_body(
    serializer_class: type[serializers.Serializer],
    request: Request,
    *,
    partial: bool = False,
    context: dict | None = None,
) -> dict:
    """Return the request body validated by the serializer, or raise the body validation error."""
    data = request.data
    if not isinstance(data, dict) and not hasattr(data, "getlist"):
        raise RequestBodyValidationError(
            {
                "non_field_errors": [
                    {"error": "Invalid data. Expected a dictionary.", "code": "invalid"}
                ]
            }
        )
    serializer = serializer_class(data=data, partial=partial, context=context or {})
    if not serializer.is_valid():
        raise RequestBodyValidationError(serialize_errors(serializer.errors))
    return serializer.validated_data


def validated_query(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    """Return the query string validated by the serializer, or raise the query error."""
    serializer = serializer_class(data=request.query_params)
    if not serializer.is_valid():
        raise QueryParameterValidationError(serialize_errors(serializer.errors))
    return serializer.validated_data
