//! The exported WIT interfaces: each function hands its arguments to the
//! product module with the wasi transport. No logic lives here.

use crate::bindings::exports::goto::connector::meetings::{
    Attendee, CreatedMeeting, Guest as Meetings, Meeting, MeetingDetails,
};
use crate::transport::WasiTransport;
use crate::{Connection, Error, meetings};

struct Component;

impl Meetings for Component {
    fn create_meeting(
        connection: Connection,
        meeting: MeetingDetails,
    ) -> Result<CreatedMeeting, Error> {
        meetings::create_meeting(&mut WasiTransport::default(), &connection, &meeting)
    }

    fn get_meeting(connection: Connection, meeting_id: u64) -> Result<Meeting, Error> {
        meetings::get_meeting(&mut WasiTransport::default(), &connection, meeting_id)
    }

    fn update_meeting(
        connection: Connection,
        meeting_id: u64,
        meeting: MeetingDetails,
    ) -> Result<(), Error> {
        meetings::update_meeting(
            &mut WasiTransport::default(),
            &connection,
            meeting_id,
            &meeting,
        )
    }

    fn delete_meeting(connection: Connection, meeting_id: u64) -> Result<(), Error> {
        meetings::delete_meeting(&mut WasiTransport::default(), &connection, meeting_id)
    }

    fn start_meeting(connection: Connection, meeting_id: u64) -> Result<String, Error> {
        meetings::start_meeting(&mut WasiTransport::default(), &connection, meeting_id)
    }

    fn get_meeting_attendees(
        connection: Connection,
        meeting_id: u64,
    ) -> Result<Vec<Attendee>, Error> {
        meetings::get_meeting_attendees(&mut WasiTransport::default(), &connection, meeting_id)
    }
}

crate::bindings::export!(Component with_types_in crate::bindings);
