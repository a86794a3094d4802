import { connect } from "goto-connector";

const accessToken = process.env.GOTO_TOKEN ?? "";
const apiBase = process.env.GOTO_API_BASE; // unset: https://api.getgo.com
// GoTo's own origins are allowed; add any other the component may reach.
const goto = connect({ allow: apiBase ? [apiBase] : [] });
try {
  const meeting = goto.meetings.getMeeting({ accessToken, apiBase }, 123456789n);
  console.log(meeting.subject, meeting.startTime);
} catch (e) {
  // The operation's error: {tag: "not-found", val: {status: 404, ...}}
  console.error(/** @type {any} */ (e).payload ?? e);
  process.exitCode = 1;
}
