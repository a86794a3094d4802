from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy


@workflow.defn
class CreateMeeting:
    """Creates a meeting through goto-worker's `create-meeting` activity."""

    @workflow.run
    async def run(self, subject: str) -> dict:
        meeting = {"subject": subject, "startTime": "2026-07-01T22:00:00Z",
                   "endTime": "2026-07-01T23:00:00Z", "passwordRequired": False,
                   "conferenceCallInfo": "hybrid", "meetingType": "scheduled"}
        # A lost attempt (its worker stopped) ends in the heartbeat timeout,
        # not the 30 s one: the next attempt then says `outcome-unknown`.
        return await workflow.execute_activity(
            "create-meeting", {"meeting": meeting}, task_queue="goto",
            start_to_close_timeout=timedelta(seconds=30),
            heartbeat_timeout=timedelta(seconds=5),
            retry_policy=RetryPolicy(maximum_attempts=5))
