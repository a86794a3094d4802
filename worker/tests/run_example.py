"""Runs the documented example workflow (python/create_meeting.py) once
against a Temporal server and prints its result as JSON, for
tests/secured.rs. The workflow runs on a workflow-only worker of task queue
"workflows"; its activity goes to goto-worker's queue "goto".

usage: run_example.py ADDRESS WORKFLOW_ID
"""

import asyncio
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "python"))

from create_meeting import CreateMeeting  # noqa: E402
from temporalio.client import Client  # noqa: E402
from temporalio.worker import Worker  # noqa: E402


async def main(address: str, workflow_id: str) -> None:
    client = await Client.connect(address)
    async with Worker(client, task_queue="workflows", workflows=[CreateMeeting]):
        result = await client.execute_workflow(
            CreateMeeting.run, "Secured", id=workflow_id, task_queue="workflows")
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2]), 120))
    # The SDK's native bridge can abort while the interpreter shuts down.
    sys.stdout.flush()
    os._exit(0)
