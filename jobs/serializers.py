"""Wire shape of jobs (09-other.md) and the query of the job list."""

from typing import Any

from rest_framework import serializers

from jobs.models import Job, JobState
from jobs.registry import job_types

MAX_LIST_LIMIT = 100


def job_to_json(job: Job) -> dict[str, Any]:
    """The job object: the keys every job has, then its type's own."""
    return {
        "id": job.id,
        "type": job.type,
        "progress_percentage": job.progress_percentage,
        "state": job.state,
        "human_readable_error": job.human_readable_error,
        **job_types.get(job.type).to_json(job),
    }


class JobSerializer(serializers.Serializer):
    """For the OpenAPI spec: the keys every job has (type-specific keys follow them)."""

    id = serializers.IntegerField()
    type = serializers.CharField()
    progress_percentage = serializers.IntegerField(min_value=0, max_value=100)
    state = serializers.ChoiceField(choices=JobState.choices)
    human_readable_error = serializers.CharField(allow_blank=True)


class JobListSerializer(serializers.Serializer):
    jobs = JobSerializer(many=True)


class CommaSeparatedField(serializers.CharField):
    """`a,b,c` as a list of its non-empty items."""

    def to_internal_value(self, data: Any) -> list[str]:
        return [item.strip() for item in super().to_internal_value(data).split(",") if item.strip()]


class JobListQuerySerializer(serializers.Serializer):
    states = CommaSeparatedField(
        required=False,
        help_text="Comma-separated states to include; a state prefixed with `!` is excluded.",
    )
    job_ids = CommaSeparatedField(required=False, help_text="Comma-separated job ids.")
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIST_LIMIT, default=50)

    def validate_states(self, states: list[str]) -> list[str]:
        known = set(JobState.values)
        unknown = [state for state in states if state.removeprefix("!") not in known]
        if unknown:
            raise serializers.ValidationError(f"Unknown states: {', '.join(unknown)}.")
        return states

    def validate_job_ids(self, job_ids: list[str]) -> list[int]:
        if not all(job_id.isdigit() and len(job_id) < 19 for job_id in job_ids):
            raise serializers.ValidationError("Job ids must be comma-separated integers.")
        return [int(job_id) for job_id in job_ids]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        states = attrs.pop("states", [])
        attrs["states"] = [state for state in states if not state.startswith("!")]
        attrs["excluded_states"] = [state[1:] for state in states if state.startswith("!")]
        return attrs
