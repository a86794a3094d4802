"""The benchmark's workflows: CONCURRENCY workflows, each running
`get-meeting` PER_WORKFLOW times one after the other on task queue QUEUE,
so that CONCURRENCY activities are in flight at once.

usage: drive.py ADDRESS QUEUE CONCURRENCY PER_WORKFLOW
Prints {"activities": N, "seconds": S} after a warm-up.
"""

import asyncio
import json
import os
import sys
import time
from datetime import timedelta

from temporalio import workflow
from temporalio.client import Client
from temporalio.worker import Worker


@workflow.defn
class Fetch:
    @workflow.run
    async def run(self, args: list) -> int:
        queue, count = args
        for _ in range(count):
            meeting = await workflow.execute_activity(
                "get-meeting", {"meetingId": "123456789"}, task_queue=queue,
                start_to_close_timeout=timedelta(seconds=30))
            assert meeting["meetingId"] == "123456789"
        return count


async def main(address: str, queue: str, concurrency: int, per: int) -> None:
    client = await Client.connect(address)
    async with Worker(client, task_queue=f"wf-{queue}", workflows=[Fetch],
                      max_concurrent_workflow_tasks=200):
        async def run(i: int, count: int) -> int:
            return await client.execute_workflow(
                Fetch.run, [queue, count], id=f"{queue}-{i}-{count}", task_queue=f"wf-{queue}")
        await asyncio.gather(*(run(i, 2) for i in range(concurrency)))  # warm-up
        started = time.monotonic()
        done = await asyncio.gather(*(run(i, per) for i in range(concurrency)))
        print(json.dumps({"activities": sum(done), "seconds": time.monotonic() - started}))


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])), 600))
    # The SDK's native bridge can abort while the interpreter shuts down,
    # after the figures are out: end here instead.
    sys.stdout.flush()
    os._exit(0)
