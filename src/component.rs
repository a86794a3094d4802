//! The exported WIT interfaces: each function hands its arguments to the
//! product module with the wasi transport. No logic lives here.

use alloc::string::String;

use crate::bindings::exports::goto::connector::groups::{Groups, Guest as GroupsGuest};
use crate::bindings::exports::goto::connector::meetings::{
    Attendees, CreatedMeeting, DateRange, Guest as Meetings, HistoricalMeetings, Meeting,
    MeetingDetails, MeetingListing, MeetingsFilter, UpcomingMeetings,
};
use crate::bindings::exports::goto::connector::oauth::{
    CurrentUser, Guest as Oauth, OauthClient, PkcePair, TokenSet,
};
use crate::bindings::exports::goto::connector::organizers::{
    CreatedOrganizer, Guest as OrganizersGuest, NewOrganizer, Organizer, OrganizerChange,
    Organizers,
};
use crate::bindings::exports::goto::connector::{
    assist::{Guest as Assist, SystemLinkDetails, SystemLinks},
    raw::{Guest as Raw, RawRequest, RawResponse},
    seeit::{
        Guest as Seeit, SeeitSession, SeeitSessionDetails, SeeitSessionPage, SeeitSessionQuery,
    },
    trainings::{
        CreatedTraining, Guest as TrainingsGuest, Training, TrainingDetails, TrainingOrganizers,
        Trainings,
    },
};
use crate::transport::WasiTransport;
use crate::{
    Connection, Error, assist, groups, meetings, oauth, organizers, raw, seeit, trainings,
};

struct Component;

/// The GoToWebinar interfaces, kept in their own file.
#[path = "webinars_component.rs"]
mod webinars_component;

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

/// The wall clock, read just before a token request.
fn now() -> Option<crate::time::Instant> {
    crate::transport::wall_clock()
}

impl Oauth for Component {
    fn authorization_url(
        client_id: String,
        redirect_uri: String,
        state: String,
        code_challenge: Option<String>,
        auth_base: Option<String>,
    ) -> Result<String, Error> {
        oauth::authorization_url(
            &client_id,
            &redirect_uri,
            &state,
            code_challenge.as_deref(),
            auth_base.as_deref(),
        )
    }

    fn create_pkce(verifier_length: Option<u32>) -> Result<PkcePair, Error> {
        let n = oauth::verifier_length(verifier_length)?;
        let random = wasi::random::random::get_random_bytes(n as u64);
        Ok(oauth::pkce_pair(&random))
    }

    fn exchange_code(
        client: OauthClient,
        code: String,
        redirect_uri: String,
        code_verifier: Option<String>,
    ) -> Result<TokenSet, Error> {
        oauth::exchange_code(
            &mut WasiTransport,
            &client,
            &code,
            &redirect_uri,
            code_verifier.as_deref(),
            now(),
        )
    }

    fn refresh_token(client: OauthClient, refresh_token: String) -> Result<TokenSet, Error> {
        oauth::refresh_token(&mut WasiTransport, &client, &refresh_token, now())
    }

    fn get_current_user(connection: Connection) -> Result<CurrentUser, Error> {
        oauth::get_current_user(&mut WasiTransport, &connection)
    }
}

impl TrainingsGuest for Component {
    fn list_trainings(connection: Connection, organizer_key: u64) -> Result<Trainings, Error> {
        trainings::list_trainings(&mut WasiTransport, &connection, organizer_key)
    }

    fn create_training(
        connection: Connection,
        organizer_key: u64,
        training: TrainingDetails,
    ) -> Result<CreatedTraining, Error> {
        trainings::create_training(&mut WasiTransport, &connection, organizer_key, &training)
    }

    fn get_training(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
    ) -> Result<Training, Error> {
        trainings::get_training(&mut WasiTransport, &connection, organizer_key, training_key)
    }

    fn delete_training(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
    ) -> Result<(), Error> {
        trainings::delete_training(&mut WasiTransport, &connection, organizer_key, training_key)
    }

    fn list_account_organizers(
        connection: Connection,
        account_key: u64,
    ) -> Result<TrainingOrganizers, Error> {
        trainings::list_account_organizers(&mut WasiTransport, &connection, account_key)
    }
}

impl Assist for Component {
    fn create_system_links(connection: Connection, links: SystemLinkDetails) -> Result<(), Error> {
        assist::create_system_links(&mut WasiTransport, &connection, &links)
    }

    fn list_system_links(
        connection: Connection,
        system_domain: String,
    ) -> Result<SystemLinks, Error> {
        assist::list_system_links(&mut WasiTransport, &connection, &system_domain)
    }
}

impl Seeit for Component {
    fn create_seeit_session(connection: Connection) -> Result<SeeitSession, Error> {
        seeit::create_seeit_session(&mut WasiTransport, &connection)
    }

    fn get_seeit_session(
        connection: Connection,
        uuid: String,
    ) -> Result<SeeitSessionDetails, Error> {
        seeit::get_seeit_session(&mut WasiTransport, &connection, &uuid)
    }

    fn list_seeit_sessions(
        connection: Connection,
        query: SeeitSessionQuery,
    ) -> Result<SeeitSessionPage, Error> {
        seeit::list_seeit_sessions(&mut WasiTransport, &connection, &query)
    }
}

impl Raw for Component {
    fn send_raw(connection: Connection, request: RawRequest) -> Result<RawResponse, Error> {
        raw::send_raw(&mut WasiTransport, &connection, &request)
    }
}

crate::bindings::export!(Component with_types_in crate::bindings);
