//! The exported `meetings` interface: each function hands its arguments to
//! the product module with the wasi transport. No logic lives here.

use alloc::string::String;

use crate::bindings::exports::goto::connector::meetings::{
    Attendees, CreatedMeeting, DateRange, Guest as Meetings, HistoricalMeetings, Meeting,
    MeetingDetails, MeetingListing, MeetingsFilter, UpcomingMeetings,
};
use crate::boundary::component::Component;
use crate::boundary::transport::WasiTransport;
use crate::products::meetings;
use crate::{Connection, Error};

/// The `meetings` interface: GoToMeeting meetings of the token's organizer.
impl Meetings for Component {
    fn create_meeting(
        connection: Connection,
        meeting: MeetingDetails,
    ) -> Result<CreatedMeeting, Error> {
        meetings::create_meeting(&mut WasiTransport, &connection, &meeting)
    }

    fn get_meeting(connection: Connection, meeting_id: u64) -> Result<Meeting, Error> {
        meetings::get_meeting(&mut WasiTransport, &connection, meeting_id)
    }

    fn update_meeting(
        connection: Connection,
        meeting_id: u64,
        meeting: MeetingDetails,
    ) -> Result<(), Error> {
        meetings::update_meeting(&mut WasiTransport, &connection, meeting_id, &meeting)
    }

    fn delete_meeting(connection: Connection, meeting_id: u64) -> Result<(), Error> {
        meetings::delete_meeting(&mut WasiTransport, &connection, meeting_id)
    }

    fn start_meeting(connection: Connection, meeting_id: u64) -> Result<String, Error> {
        meetings::start_meeting(&mut WasiTransport, &connection, meeting_id)
    }

    fn get_meeting_attendees(connection: Connection, meeting_id: u64) -> Result<Attendees, Error> {
        meetings::get_meeting_attendees(&mut WasiTransport, &connection, meeting_id)
    }

    fn list_upcoming_meetings(connection: Connection) -> Result<UpcomingMeetings, Error> {
        meetings::list_upcoming_meetings(&mut WasiTransport, &connection)
    }

    fn list_historical_meetings(
        connection: Connection,
        range: DateRange,
    ) -> Result<HistoricalMeetings, Error> {
        meetings::list_historical_meetings(&mut WasiTransport, &connection, &range)
    }

    fn list_meetings(
        connection: Connection,
        filter: MeetingsFilter,
    ) -> Result<MeetingListing, Error> {
        meetings::list_meetings(&mut WasiTransport, &connection, &filter)
    }
}
