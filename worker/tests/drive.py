"""Drives goto-worker from Temporal workflows, for tests/temporal.rs.

usage: drive.py ADDRESS OUT_DIR COUNT

Runs (on a workflow-only worker of task queue "workflows"; the activities
run on goto-worker's task queue "goto"):
- the documented example workflow (python/create_meeting.py);
- a workflow whose activity reaches a host outside the worker's policy;
- a workflow with a call longer than its heartbeat timeout, and a cancelled one;
- COUNT workflows that each create, get and delete a meeting.
Writes OUT_DIR/results.json, and every workflow's whole history to
OUT_DIR/histories.jsonl.
"""

import asyncio
import json
import os
import sys
from datetime import timedelta

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python"))

from create_meeting import CreateMeeting  # noqa: E402
from temporalio import workflow  # noqa: E402
from temporalio.client import Client  # noqa: E402
from temporalio.common import RetryPolicy  # noqa: E402
from temporalio.exceptions import ActivityError, ApplicationError  # noqa: E402
from temporalio.worker import Worker  # noqa: E402

GOTO = "goto"
# A killed worker's activities are retried on the other after this long.
ATTEMPT = timedelta(seconds=5)
FAST = RetryPolicy(initial_interval=timedelta(milliseconds=200), maximum_attempts=10)


def failure(err: ActivityError) -> dict:
    cause = err.cause
    if isinstance(cause, ApplicationError):
        return {"type": cause.type, "nonRetryable": cause.non_retryable,
                "message": cause.message, "details": list(cause.details)}
    return {"type": type(cause).__name__, "message": str(cause)}


@workflow.defn
class MeetingLifecycle:
    """Create, read back and delete one meeting. Ends with `deleted`, or
    with the create's typed failure (`outcome-unknown` after a lost attempt)."""

    @workflow.run
    async def run(self, subject: str) -> dict:
        meeting = {"subject": subject, "startTime": "2026-07-01T22:00:00Z",
                   "endTime": "2026-07-01T23:00:00Z", "passwordRequired": False,
                   "conferenceCallInfo": "hybrid", "meetingType": "scheduled"}
        try:
            created = await workflow.execute_activity(
                "create-meeting", {"meeting": meeting}, task_queue=GOTO,
                start_to_close_timeout=ATTEMPT, retry_policy=FAST)
        except ActivityError as err:
            return {"end": "create-failed", "failure": failure(err)}
        key = {"meetingId": created["meetingId"]}
        read = await workflow.execute_activity(
            "get-meeting", key, task_queue=GOTO, start_to_close_timeout=ATTEMPT, retry_policy=FAST)
        await workflow.execute_activity(
            "delete-meeting", key, task_queue=GOTO, start_to_close_timeout=ATTEMPT, retry_policy=FAST)
        return {"end": "deleted", "meetingId": created["meetingId"], "subject": read["subject"]}


@workflow.defn
class OutsideThePolicy:
    """Lists Seeit sessions, whose base the worker's policy does not admit."""

    @workflow.run
    async def run(self) -> dict:
        try:
            await workflow.execute_activity(
                "list-seeit-sessions", {"query": {}}, task_queue=GOTO,
                start_to_close_timeout=ATTEMPT, retry_policy=FAST)
        except ActivityError as err:
            return failure(err)
        return {"type": "none"}


@workflow.defn
class Heartbeats:
    """A call longer than its heartbeat timeout succeeds (the worker
    heartbeats); a call cancelled after a second ends cancelled."""

    @workflow.run
    async def run(self) -> dict:
        once = RetryPolicy(maximum_attempts=1)
        slow = await workflow.execute_activity(
            "get-meeting", {"meetingId": "999"}, task_queue=GOTO, retry_policy=once,
            start_to_close_timeout=timedelta(seconds=30), heartbeat_timeout=timedelta(seconds=2))
        stuck = workflow.start_activity(
            "get-meeting", {"meetingId": "998"}, task_queue=GOTO, retry_policy=once,
            start_to_close_timeout=timedelta(seconds=60), heartbeat_timeout=timedelta(seconds=2),
            cancellation_type=workflow.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        await workflow.sleep(1)
        stuck.cancel()
        try:
            await stuck
            cancelled = "not cancelled"
        except ActivityError as err:
            cancelled = type(err.cause).__name__
        return {"slow": slow["subject"], "cancelled": cancelled}


async def end_of(handle) -> dict:
    try:
        return await handle.result()
    except Exception as err:  # the test names the workflow and its failure
        return {"end": "workflow-failed", "error": repr(err), "cause": repr(err.__cause__)}


async def main(address: str, out: str, count: int) -> None:
    client = await Client.connect(address)
    workflows = [CreateMeeting, MeetingLifecycle, OutsideThePolicy, Heartbeats]
    async with Worker(client, task_queue="workflows", workflows=workflows, max_concurrent_workflow_tasks=50):
        ids = ["example", "denied", "heartbeats"] + [f"life-{i}" for i in range(count)]
        example = await client.execute_workflow(
            CreateMeeting.run, "README example", id="example", task_queue="workflows")
        denied = await client.execute_workflow(
            OutsideThePolicy.run, id="denied", task_queue="workflows")
        heartbeats = await client.execute_workflow(
            Heartbeats.run, id="heartbeats", task_queue="workflows")
        handles = [await client.start_workflow(MeetingLifecycle.run, f"load-{i}", id=f"life-{i}",
                                               task_queue="workflows") for i in range(count)]
        print("started", len(handles), flush=True)
        ends = await asyncio.gather(*(end_of(h) for h in handles))
    with open(os.path.join(out, "histories.jsonl"), "w") as f:
        for wid in ids:
            history = await client.get_workflow_handle(wid).fetch_history()
            f.write(json.dumps(json.loads(history.to_json())) + "\n")
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"example": example, "denied": denied, "heartbeats": heartbeats, "ends": ends}, f)


if __name__ == "__main__":
    # The workflow sandbox imports this module again: run only as a script.
    asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2], int(sys.argv[3])), 300))
    # The SDK's native bridge can abort while the interpreter shuts down,
    # after the results are written: end here instead.
    sys.stdout.flush()
    os._exit(0)
