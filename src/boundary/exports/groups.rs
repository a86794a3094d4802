//! The exported `groups` interface: each function hands its arguments to
//! the product module with the wasi transport. No logic lives here.

use crate::bindings::exports::goto::connector::groups::{Groups, Guest as GroupsGuest};
use crate::bindings::exports::goto::connector::meetings::{
    Attendees, DateRange, HistoricalMeetings, UpcomingMeetings,
};
use crate::bindings::exports::goto::connector::organizers::{
    CreatedOrganizer, NewOrganizer, Organizers,
};
use crate::boundary::component::Component;
use crate::boundary::transport::WasiTransport;
use crate::products::groups;
use crate::{Connection, Error};

impl GroupsGuest for Component {
    fn list_groups(connection: Connection) -> Result<Groups, Error> {
        groups::list_groups(&mut WasiTransport, &connection)
    }

    fn list_group_attendees(
        connection: Connection,
        group_key: u64,
        range: DateRange,
    ) -> Result<Attendees, Error> {
        groups::list_group_attendees(&mut WasiTransport, &connection, group_key, &range)
    }

    fn list_group_historical_meetings(
        connection: Connection,
        group_key: u64,
        range: DateRange,
    ) -> Result<HistoricalMeetings, Error> {
        groups::list_group_historical_meetings(&mut WasiTransport, &connection, group_key, &range)
    }

    fn list_group_upcoming_meetings(
        connection: Connection,
        group_key: u64,
    ) -> Result<UpcomingMeetings, Error> {
        groups::list_group_upcoming_meetings(&mut WasiTransport, &connection, group_key)
    }

    fn list_group_meetings(
        connection: Connection,
        group_key: u64,
        range: DateRange,
    ) -> Result<HistoricalMeetings, Error> {
        groups::list_group_meetings(&mut WasiTransport, &connection, group_key, &range)
    }

    fn list_group_organizers(connection: Connection, group_key: u64) -> Result<Organizers, Error> {
        groups::list_group_organizers(&mut WasiTransport, &connection, group_key)
    }

    fn create_group_organizer(
        connection: Connection,
        group_key: u64,
        organizer: NewOrganizer,
    ) -> Result<CreatedOrganizer, Error> {
        groups::create_group_organizer(&mut WasiTransport, &connection, group_key, &organizer)
    }
}
