//! The exported `organizers` interface: each function hands its arguments to
//! the product module with the wasi transport. No logic lives here.

use alloc::string::String;

use crate::bindings::exports::goto::connector::meetings::{
    Attendees, DateRange, HistoricalMeetings, MeetingListing, MeetingsFilter, UpcomingMeetings,
};
use crate::bindings::exports::goto::connector::organizers::{
    CreatedOrganizer, Guest as OrganizersGuest, NewOrganizer, Organizer, OrganizerChange,
    Organizers,
};
use crate::boundary::component::Component;
use crate::boundary::transport::WasiTransport;
use crate::products::organizers;
use crate::{Connection, Error};

impl OrganizersGuest for Component {
    fn list_organizers(connection: Connection, email: Option<String>) -> Result<Organizers, Error> {
        organizers::list_organizers(&mut WasiTransport, &connection, email.as_deref())
    }

    fn get_organizer(connection: Connection, organizer_key: u64) -> Result<Organizer, Error> {
        organizers::get_organizer(&mut WasiTransport, &connection, organizer_key)
    }

    fn create_organizer(
        connection: Connection,
        organizer: NewOrganizer,
    ) -> Result<CreatedOrganizer, Error> {
        organizers::create_organizer(&mut WasiTransport, &connection, &organizer)
    }

    fn delete_organizer_by_email(connection: Connection, email: String) -> Result<(), Error> {
        organizers::delete_organizer_by_email(&mut WasiTransport, &connection, &email)
    }

    fn update_organizer(
        connection: Connection,
        organizer_key: u64,
        change: OrganizerChange,
    ) -> Result<(), Error> {
        organizers::update_organizer(&mut WasiTransport, &connection, organizer_key, &change)
    }

    fn delete_organizer(connection: Connection, organizer_key: u64) -> Result<(), Error> {
        organizers::delete_organizer(&mut WasiTransport, &connection, organizer_key)
    }

    fn list_organizer_attendees(
        connection: Connection,
        organizer_key: u64,
        range: DateRange,
    ) -> Result<Attendees, Error> {
        organizers::list_organizer_attendees(&mut WasiTransport, &connection, organizer_key, &range)
    }

    fn list_organizer_historical_meetings(
        connection: Connection,
        organizer_key: u64,
        range: DateRange,
    ) -> Result<HistoricalMeetings, Error> {
        organizers::list_organizer_historical_meetings(
            &mut WasiTransport,
            &connection,
            organizer_key,
            &range,
        )
    }

    fn list_organizer_upcoming_meetings(
        connection: Connection,
        organizer_key: u64,
    ) -> Result<UpcomingMeetings, Error> {
        organizers::list_organizer_upcoming_meetings(&mut WasiTransport, &connection, organizer_key)
    }

    fn list_organizer_meetings(
        connection: Connection,
        organizer_key: u64,
        filter: MeetingsFilter,
    ) -> Result<MeetingListing, Error> {
        organizers::list_organizer_meetings(&mut WasiTransport, &connection, organizer_key, &filter)
    }
}
