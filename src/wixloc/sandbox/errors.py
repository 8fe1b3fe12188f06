"""Errors the sandbox answers with, in Wix's body shape, and the failure a job can end with."""

from __future__ import annotations

from typing import Any

__all__ = ["ApiError", "JobFailure", "error_body", "invalid", "one_of_violation"]


class ApiError(Exception):
    """An HTTP error answer: status, message, and an application or validation error."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        description: str | None = None,
        violations: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.description = description
        self.violations = violations

    def body(self) -> dict[str, Any]:
        return error_body(self.message, self.code, self.description, self.violations)


def error_body(
    message: str,
    code: str | None = None,
    description: str | None = None,
    violations: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """``{"message", "details": {"applicationError" | "validationError": ...}}`` as Wix sends it."""
    details: dict[str, Any] = {}
    if violations is not None:
        details["validationError"] = {"fieldViolations": violations}
    else:
        details["applicationError"] = {
            "code": code or "UNKNOWN",
            "description": description or message,
            "data": {},
        }
    return {"message": message, "details": details}


def invalid(field: str, description: str) -> ApiError:
    """A 400 validation error naming one field."""
    violation = {
        "field": field,
        "description": description,
        "violatedRule": "VALIDATION",
        "ruleName": "INVALID_ARGUMENT",
        "data": {},
    }
    return ApiError(400, f"INVALID_ARGUMENT: {field} {description}", violations=[violation])


def one_of_violation(*fields: str) -> ApiError:
    """A 400 for a request that sets more than one field of a one-of: a violation per field."""
    names = " and ".join(fields)
    description = f"only one of {', '.join(fields)} may be set"
    violations = [
        {
            "field": name,
            "description": description,
            "violatedRule": "OTHER",
            "ruleName": "ONE_OF_ALIGNMENT",
            "data": {},
        }
        for name in fields
    ]
    return ApiError(400, f"INVALID_ARGUMENT: {names} are a one-of", violations=violations)


class JobFailure(Exception):
    """Raised inside a job handler: the job ends FAILED with this code and description."""

    def __init__(self, code: str, description: str) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description
