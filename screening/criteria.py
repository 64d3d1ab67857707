"""The criteria schema of a screening condition (pydantic): validated on write, normalised for storage."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

from config.errors import ApplicationError
from cvs.extraction.levels import RANKED_LEVELS, education_level

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def _level(value: Any) -> str:
    level = education_level(value) if isinstance(value, str) else None
    if level is None:
        raise ValueError(f"unknown education level {value!r}; use one of {', '.join(RANKED_LEVELS)} (or 本科, 硕士, 博士, …)")
    return level


Level = Annotated[str, BeforeValidator(_level)]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Exclusion(BaseModel):
    """Any match disqualifies."""

    model_config = ConfigDict(extra="forbid")

    skills: list[Text] = Field(default_factory=list, max_length=100)
    schools: list[Text] = Field(default_factory=list, max_length=100)
    companies: list[Text] = Field(default_factory=list, max_length=100)
    keywords: list[Text] = Field(default_factory=list, max_length=100, description="Words in the headline, summary or job titles.")


class Criteria(BaseModel):
    """Every criterion given must pass (AND); ``groups`` adds AND/OR branches of criteria."""

    model_config = ConfigDict(extra="forbid")

    education_level: list[Level] | None = Field(
        None, description="Allowed levels, e.g. ['bachelor', 'master']; a single level means a minimum.")
    education_level_min: Level | None = Field(None, description="Minimum level, e.g. 'bachelor'.")
    work_years_min: float | None = Field(None, ge=0, le=60)
    work_years_max: float | None = Field(None, ge=0, le=60)
    skills: list[Text] | None = Field(None, max_length=100)
    skills_match: Literal["all", "any"] = "all"
    school_tier: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30)]] | None = Field(
        None, max_length=20, description="Tiers of the school list, e.g. ['985', '211', 'top-200'].")
    languages: list[Text] | None = Field(None, max_length=20, description="All required; names in any language or ISO codes.")
    location: Annotated[list[Text], BeforeValidator(_as_list)] | None = Field(None, max_length=50, description="Any of these places.")
    exclude: Exclusion | None = None
    groups: Group | None = None

    @model_validator(mode="before")
    @classmethod
    def _single_level_is_minimum(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("education_level"), str) and "education_level_min" not in data:
            data = {**data, "education_level_min": data["education_level"]}
            del data["education_level"]
        return data

    @model_validator(mode="after")
    def _years_in_order(self) -> Criteria:
        if self.work_years_min is not None and self.work_years_max is not None and self.work_years_min > self.work_years_max:
            raise ValueError("work_years_min must not exceed work_years_max")
        return self

    def tiers(self) -> set[str]:
        """Every tier named here or in nested groups."""
        found = set(self.school_tier or [])
        for rule in self.groups.rules if self.groups else []:
            found |= rule.tiers()
        return found


class Group(BaseModel):
    model_config = ConfigDict(extra="forbid")

    operator: Literal["and", "or"]
    rules: list[Criteria] = Field(min_length=1, max_length=20)


Criteria.model_rebuild()


def _error_message(error: ErrorDetails) -> str:
    where = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    return f"criteria.{where}: {message}" if where else f"criteria: {message}"


def criteria_parse(raw: Any) -> Criteria:
    """Validate ``raw``; errors become one ApplicationError (400) listing every problem."""
    try:
        return Criteria.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        messages = [_error_message(error) for error in exc.errors(include_url=False)]
        raise ApplicationError("; ".join(messages), code="invalid_criteria", extra={"errors": messages}) from exc


def criteria_dump(criteria: Criteria) -> dict[str, Any]:
    return criteria.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
