"""The rate-limit benchmark's workflows: WORKFLOWS workflows at once, each
running `get-meeting` PER times one after the other on task queue QUEUE
(Temporal's default retry policy: a 429 is retried after GoTo's
Retry-After).

usage: rate_drive.py ADDRESS QUEUE WORKFLOWS PER
Prints {"activities": N, "failed": F, "seconds": S}.
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
class Fetches:
    @workflow.run
    async def run(self, args: list) -> int:
        queue, count = args
        for _ in range(count):
            await workflow.execute_activity(
                "get-meeting", {"meetingId": "123456789"}, task_queue=queue,
                start_to_close_timeout=timedelta(seconds=30))
        return count


async def main(address: str, queue: str, workflows: int, per: int) -> None:
    client = await Client.connect(address)
    async with Worker(client, task_queue=f"wf-{queue}", workflows=[Fetches],
                      max_concurrent_workflow_tasks=200):
        async def run(i: int):
            try:
                return await client.execute_workflow(
                    Fetches.run, [queue, per], id=f"{queue}-{i}", task_queue=f"wf-{queue}",
                    execution_timeout=timedelta(seconds=300))
            except Exception:  # counted as failed
                return None
        started = time.monotonic()
        done = await asyncio.gather(*(run(i) for i in range(workflows)))
        seconds = time.monotonic() - started
    print(json.dumps({"activities": sum(d for d in done if d), "failed": done.count(None),
                      "seconds": seconds}))


if __name__ == "__main__":
    asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])), 600))
    sys.stdout.flush()
    os._exit(0)
