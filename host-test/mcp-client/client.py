"""An MCP client (the official Python SDK) against `goto-host mcp`.

Run by host-test/tests/mcp.rs, over stdio (this script starts the server)
or Streamable HTTP (the test started it):

    client.py demo   --expect TOOLS.json --received OUT.json (--stdio CMD.json --log LOG | --url URL)
    client.py denied --received OUT.json (--stdio CMD.json --log LOG | --url URL)
    client.py live   --received OUT.json (--stdio CMD.json --log LOG | --url URL)
    client.py subset --expect TOOLS.json --received OUT.json (--stdio CMD.json --log LOG | --url URL)

`demo` lists the tools and checks every schema and annotation, then calls
get-meeting and create-meeting against the built-in demo GoTo, and an input
the schema rejects. `denied` calls get-meeting with a connection whose API
base is outside the policy. `live` calls get-meeting twice through a server
started with `--live` (the test points its API base at a loopback GoTo).
`subset` checks a server started with
`--read-only` (and `--tools`): exactly the expected tools, all read-only. Everything the server sent is written to
`--received` for the test's secret scan. A failed check exits non-zero with
its reason.
"""

import argparse
import json
import sys
from contextlib import asynccontextmanager

import anyio
from jsonschema import Draft202012Validator
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

TIME_LIMIT_S = 120


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def objects(value):
    """Every JSON object inside `value`, itself included."""
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from objects(v)
    elif isinstance(value, list):
        for v in value:
            yield from objects(v)


def check_schema(tool_name, label, schema):
    """A valid 2020-12 schema, an object at the root, every $ref resolving inside it."""
    check(isinstance(schema, dict), f"{tool_name}: no {label} schema")
    check(schema.get("type") == "object", f"{tool_name}: {label} schema is not an object")
    Draft202012Validator.check_schema(schema)
    defs = schema.get("$defs", {})
    for ref in (o["$ref"] for o in objects(schema) if isinstance(o.get("$ref"), str)):
        check(ref.startswith("#/$defs/"), f"{tool_name}: {label}: foreign $ref {ref}")
        check(ref[len("#/$defs/"):] in defs, f"{tool_name}: {label}: $ref {ref} does not resolve")
    return Draft202012Validator(schema)


def check_tools(tools, expected):
    names = sorted(t.name for t in tools)
    check(names == sorted(expected), f"tools/list: {names} != {sorted(expected)}")
    by_name = {}
    for tool in tools:
        check(tool.description, f"{tool.name}: no description")
        check_schema(tool.name, "input", tool.input_schema)
        check_schema(tool.name, "output", tool.output_schema)
        # The model never handles the connection or anything like a token.
        properties = {k for o in objects(tool.input_schema) for k in o.get("properties", {})}
        for secret in ("connection", "accessToken", "refreshToken", "clientSecret"):
            check(secret not in properties, f"{tool.name} takes {secret}")
        by_name[tool.name] = tool
    return by_name


def check_annotations(tools):
    hints = lambda n: tools[n].annotations  # noqa: E731
    check(hints("get-meeting").read_only_hint is True, "get-meeting is not read-only")
    check(hints("list-meetings").read_only_hint is True, "list-meetings is not read-only")
    for name in ("delete-meeting", "update-meeting"):
        a = hints(name)
        check(a.read_only_hint is False and a.destructive_hint is True, f"{name} not destructive")
        check(a.idempotent_hint is True, f"{name} not idempotent")
    a = hints("create-meeting")
    check(a.read_only_hint is False and a.destructive_hint is False, "create-meeting hints")
    check(a.idempotent_hint is False, "create-meeting is marked idempotent")


def text_of(result):
    return "\n".join(c.text for c in result.content if c.type == "text")


async def demo(session, expected, received):
    listed = await session.list_tools()
    received.append(listed.model_dump(mode="json", by_alias=True))
    tools = check_tools(listed.tools, expected)
    check_annotations(tools)

    async def call(name, arguments):
        result = await session.call_tool(name, arguments)
        received.append(result.model_dump(mode="json", by_alias=True))
        return result

    got = await call("get-meeting", {"meetingId": 123456789})
    check(not got.is_error, f"get-meeting failed: {text_of(got)}")
    check(got.structured_content["ok"]["meetingId"] == "123456789", f"get-meeting: {got}")
    check("get-meeting succeeded" in text_of(got), f"get-meeting text: {text_of(got)}")
    Draft202012Validator(tools["get-meeting"].output_schema).validate(got.structured_content)

    meeting = {
        "subject": "Weekly sync",
        "startTime": "2026-07-01T22:00:00Z",
        "endTime": "2026-07-01T23:00:00Z",
        "passwordRequired": False,
        "conferenceCallInfo": "hybrid",
        "meetingType": "scheduled",
    }
    Draft202012Validator(tools["create-meeting"].input_schema).validate({"meeting": meeting})
    created = await call("create-meeting", {"meeting": meeting})
    check(not created.is_error, f"create-meeting failed: {text_of(created)}")
    check(created.structured_content["ok"]["meetingId"] == "569897550", f"create-meeting: {created}")
    Draft202012Validator(tools["create-meeting"].output_schema).validate(created.structured_content)

    # The component's own validation: a typed error that says what to fix.
    empty = await call("create-meeting", {"meeting": dict(meeting, subject="")})
    check(empty.is_error, f"an empty subject was accepted: {empty}")
    check("invalid-input" in empty.structured_content["error"], f"empty subject: {empty}")
    check("What to do" in text_of(empty), f"no advice: {text_of(empty)}")

    # The host's validation of the arguments: a tool error naming the field.
    wrong = await call("get-meeting", {"meetingId": "not a number"})
    check(wrong.is_error, f"a wrong meetingId was accepted: {wrong}")
    check("meetingId" in text_of(wrong) and "invalid-input" in text_of(wrong), text_of(wrong))

    # The connection is the server's: a model cannot pass one.
    smuggled = await call("get-meeting", {"meetingId": 123456789,
                                          "connection": {"accessToken": "x", "apiBase": "https://evil.example"}})
    check(smuggled.is_error and "connection" in text_of(smuggled), f"connection accepted: {smuggled}")


async def subset(session, expected, received):
    listed = await session.list_tools()
    received.append(listed.model_dump(mode="json", by_alias=True))
    tools = check_tools(listed.tools, expected)
    for name, tool in tools.items():
        check(tool.annotations.read_only_hint is True, f"--read-only serves {name}")


async def live(session, received):
    for _ in range(2):
        result = await session.call_tool("get-meeting", {"meetingId": 123456789})
        received.append(result.model_dump(mode="json", by_alias=True))
        check(not result.is_error, f"the live call failed: {text_of(result)}")
        check(result.structured_content["ok"]["meetingId"] == "123456789", f"live: {result}")


async def denied(session, received):
    result = await session.call_tool("get-meeting", {"meetingId": 123456789})
    received.append(result.model_dump(mode="json", by_alias=True))
    text = text_of(result)
    check(result.is_error, f"a request outside the policy succeeded: {result}")
    transport = result.structured_content["error"].get("transport", {})
    check(transport.get("kind") == "denied" and transport.get("code") == "HTTP-request-denied",
          f"not the typed denial: {result}")
    check("network policy" in text and "evil.example" in text, f"denial text: {text}")


@asynccontextmanager
async def connect(args):
    if args.url:
        async with streamable_http_client(args.url) as (read, write):
            yield read, write
    else:
        command = json.loads(args.stdio)
        params = StdioServerParameters(command=command["command"], args=command["args"],
                                       env=command["env"])
        with open(args.log, "w") as log:
            async with stdio_client(params, errlog=log) as (read, write):
                yield read, write


async def main(args):
    received = []
    try:
        with anyio.fail_after(TIME_LIMIT_S):
            async with connect(args) as (read, write):
                async with ClientSession(read, write) as session:
                    init = await session.initialize()
                    received.append(init.model_dump(mode="json", by_alias=True))
                    if args.scenario in ("demo", "subset"):
                        with open(args.expect) as f:
                            expected = json.load(f)
                        scenario = demo if args.scenario == "demo" else subset
                        await scenario(session, expected, received)
                    elif args.scenario == "live":
                        await live(session, received)
                    else:
                        await denied(session, received)
    finally:
        with open(args.received, "w") as f:
            json.dump(received, f, indent=1)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["demo", "denied", "live", "subset"])
    parser.add_argument("--expect")
    parser.add_argument("--received", required=True)
    parser.add_argument("--stdio")
    parser.add_argument("--log")
    parser.add_argument("--url")
    try:
        anyio.run(main, parser.parse_args())
    except AssertionError as e:
        print(f"check failed: {e}", file=sys.stderr)
        sys.exit(1)
