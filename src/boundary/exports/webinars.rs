//! The exported GoToWebinar interfaces (`webinars`, `webinar-participants`,
//! `webinar-webhooks`, `webinar-reports`, `webinar-scheduling`): each function hands its arguments to the webinar
//! product modules with the wasi transport. No logic lives here.

use alloc::string::String;
use alloc::vec::Vec;

use crate::bindings::exports::goto::connector::meetings::DateRange;
use crate::bindings::exports::goto::connector::webinar_participants::{
    Coorganizer, Coorganizers, CreatedRegistrant, Guest as Participants, NewCoorganizer,
    NewPanelist, NewRegistrant, Panelist, Panelists, RegistrationFields,
};
use crate::bindings::exports::goto::connector::webinar_reports::{
    Guest as Reports, SessionFigures, SessionPolls, SessionQuestions, SessionSurveys,
    WebinarAttendeePage,
};
use crate::bindings::exports::goto::connector::webinar_scheduling::{
    Guest as Scheduling, InSessionWebinars, WebinarCopy, WebinarMeetingTimes,
};
use crate::bindings::exports::goto::connector::webinar_webhooks::{
    Guest as WebhooksGuest, NewUserSubscription, NewWebhook, UserSubscription, UserSubscriptions,
    Webhook, WebhookEvent, WebhookSecret, Webhooks,
};
use crate::bindings::exports::goto::connector::webinars::{
    AttendeeDetails, AudioChange, Guest as Webinars, HistoricalWebinars, Paging, RegistrantPoll,
    SessionAttendees, SessionPage, SessionPerformance, UpcomingWebinars, Webinar, WebinarAudio,
    WebinarChange, WebinarDetails, WebinarPage, WebinarPoll, WebinarRegistrant, WebinarRegistrants,
    WebinarSession,
};
use crate::boundary::component::Component;
use crate::boundary::transport::WasiTransport;
use crate::products::webinars::{
    self, participants, reports, scheduling, sessions, triggers, webhooks,
};
use crate::{Connection, Error};

impl Webinars for Component {
    fn create_webinar(c: Connection, org: u64, webinar: WebinarDetails) -> Result<u64, Error> {
        webinars::create_webinar(&mut WasiTransport, &c, org, &webinar)
    }

    fn get_webinar(c: Connection, org: u64, key: u64) -> Result<Webinar, Error> {
        webinars::get_webinar(&mut WasiTransport, &c, org, key)
    }

    fn update_webinar(
        c: Connection,
        org: u64,
        key: u64,
        change: WebinarChange,
        notify: bool,
    ) -> Result<(), Error> {
        webinars::update_webinar(&mut WasiTransport, &c, org, key, &change, notify)
    }

    fn cancel_webinar(c: Connection, org: u64, key: u64, emails: bool) -> Result<(), Error> {
        webinars::cancel_webinar(&mut WasiTransport, &c, org, key, emails)
    }

    fn list_webinars(
        c: Connection,
        org: u64,
        range: DateRange,
        paging: Option<Paging>,
    ) -> Result<WebinarPage, Error> {
        webinars::list_webinars(&mut WasiTransport, &c, org, &range, paging.as_ref())
    }

    fn list_account_webinars(
        c: Connection,
        account: u64,
        range: DateRange,
        paging: Option<Paging>,
    ) -> Result<WebinarPage, Error> {
        webinars::list_account_webinars(&mut WasiTransport, &c, account, &range, paging.as_ref())
    }

    fn list_upcoming_webinars(c: Connection, org: u64) -> Result<UpcomingWebinars, Error> {
        webinars::list_upcoming_webinars(&mut WasiTransport, &c, org)
    }

    fn list_historical_webinars(
        c: Connection,
        org: u64,
        range: DateRange,
    ) -> Result<HistoricalWebinars, Error> {
        webinars::list_historical_webinars(&mut WasiTransport, &c, org, &range)
    }

    fn get_webinar_audio(c: Connection, org: u64, key: u64) -> Result<WebinarAudio, Error> {
        webinars::get_webinar_audio(&mut WasiTransport, &c, org, key)
    }

    fn update_webinar_audio(
        c: Connection,
        org: u64,
        key: u64,
        audio: AudioChange,
        notify: bool,
    ) -> Result<(), Error> {
        webinars::update_webinar_audio(&mut WasiTransport, &c, org, key, &audio, notify)
    }

    fn list_webinar_sessions(
        c: Connection,
        org: u64,
        key: u64,
        paging: Option<Paging>,
    ) -> Result<SessionPage, Error> {
        sessions::list_webinar_sessions(&mut WasiTransport, &c, org, key, paging.as_ref())
    }

    fn list_organizer_sessions(
        c: Connection,
        org: u64,
        range: DateRange,
        paging: Option<Paging>,
    ) -> Result<SessionPage, Error> {
        sessions::list_organizer_sessions(&mut WasiTransport, &c, org, &range, paging.as_ref())
    }

    fn get_webinar_session(
        c: Connection,
        org: u64,
        key: u64,
        session: u64,
    ) -> Result<WebinarSession, Error> {
        sessions::get_webinar_session(&mut WasiTransport, &c, org, key, session)
    }

    fn list_session_attendees(
        c: Connection,
        org: u64,
        key: u64,
        session: u64,
    ) -> Result<SessionAttendees, Error> {
        sessions::list_session_attendees(&mut WasiTransport, &c, org, key, session)
    }

    fn get_session_attendee(
        c: Connection,
        org: u64,
        key: u64,
        session: u64,
        registrant: u64,
    ) -> Result<AttendeeDetails, Error> {
        sessions::get_session_attendee(&mut WasiTransport, &c, org, key, session, registrant)
    }

    fn get_session_performance(
        c: Connection,
        org: u64,
        key: u64,
        session: u64,
    ) -> Result<SessionPerformance, Error> {
        sessions::get_session_performance(&mut WasiTransport, &c, org, key, session)
    }

    fn poll_new_registrants(
        c: Connection,
        org: u64,
        key: u64,
        cursor: Option<String>,
    ) -> Result<RegistrantPoll, Error> {
        triggers::poll_new_registrants(&mut WasiTransport, &c, org, key, cursor.as_deref())
    }

    fn poll_webinar_changes(
        c: Connection,
        org: u64,
        cursor: Option<String>,
    ) -> Result<WebinarPoll, Error> {
        triggers::poll_webinar_changes(&mut WasiTransport, &c, org, cursor.as_deref())
    }
}

impl Participants for Component {
    fn create_registrant(
        c: Connection,
        org: u64,
        key: u64,
        registrant: NewRegistrant,
        resend: bool,
    ) -> Result<CreatedRegistrant, Error> {
        participants::create_registrant(&mut WasiTransport, &c, org, key, &registrant, resend)
    }

    fn get_registrant(
        c: Connection,
        org: u64,
        key: u64,
        registrant: u64,
    ) -> Result<WebinarRegistrant, Error> {
        participants::get_registrant(&mut WasiTransport, &c, org, key, registrant)
    }

    fn list_registrants(c: Connection, org: u64, key: u64) -> Result<WebinarRegistrants, Error> {
        participants::list_registrants(&mut WasiTransport, &c, org, key)
    }

    fn delete_registrant(c: Connection, org: u64, key: u64, registrant: u64) -> Result<(), Error> {
        participants::delete_registrant(&mut WasiTransport, &c, org, key, registrant)
    }

    fn get_registration_fields(
        c: Connection,
        org: u64,
        key: u64,
    ) -> Result<RegistrationFields, Error> {
        participants::get_registration_fields(&mut WasiTransport, &c, org, key)
    }

    fn create_coorganizers(
        c: Connection,
        org: u64,
        key: u64,
        list: Vec<NewCoorganizer>,
    ) -> Result<Vec<Coorganizer>, Error> {
        participants::create_coorganizers(&mut WasiTransport, &c, org, key, &list)
    }

    fn list_coorganizers(c: Connection, org: u64, key: u64) -> Result<Coorganizers, Error> {
        participants::list_coorganizers(&mut WasiTransport, &c, org, key)
    }

    fn delete_coorganizer(
        c: Connection,
        org: u64,
        key: u64,
        member: u64,
        external: bool,
    ) -> Result<(), Error> {
        participants::coorganizer_action(
            &mut WasiTransport,
            &c,
            [org, key, member],
            external,
            false,
        )
    }

    fn resend_coorganizer_invitation(
        c: Connection,
        org: u64,
        key: u64,
        member: u64,
        external: bool,
    ) -> Result<(), Error> {
        participants::coorganizer_action(&mut WasiTransport, &c, [org, key, member], external, true)
    }

    fn create_panelists(
        c: Connection,
        org: u64,
        key: u64,
        list: Vec<NewPanelist>,
    ) -> Result<Vec<Panelist>, Error> {
        participants::create_panelists(&mut WasiTransport, &c, org, key, &list)
    }

    fn list_panelists(c: Connection, org: u64, key: u64) -> Result<Panelists, Error> {
        participants::list_panelists(&mut WasiTransport, &c, org, key)
    }

    fn delete_panelist(c: Connection, org: u64, key: u64, panelist: u64) -> Result<(), Error> {
        participants::panelist_action(&mut WasiTransport, &c, [org, key, panelist], false)
    }

    fn resend_panelist_invitation(
        c: Connection,
        org: u64,
        key: u64,
        panelist: u64,
    ) -> Result<(), Error> {
        participants::panelist_action(&mut WasiTransport, &c, [org, key, panelist], true)
    }
}

impl WebhooksGuest for Component {
    fn create_webhook_secret_key(
        c: Connection,
        valid_from: Option<String>,
    ) -> Result<WebhookSecret, Error> {
        webhooks::create_webhook_secret_key(&mut WasiTransport, &c, valid_from.as_deref())
    }

    fn create_webhooks(c: Connection, list: Vec<NewWebhook>) -> Result<Vec<Webhook>, Error> {
        webhooks::create_webhooks(&mut WasiTransport, &c, &list)
    }

    fn set_webhooks_state(c: Connection, keys: Vec<String>, active: bool) -> Result<(), Error> {
        webhooks::set_webhooks_state(&mut WasiTransport, &c, &keys, active)
    }

    fn get_webhook(c: Connection, key: String) -> Result<Webhook, Error> {
        webhooks::get_webhook(&mut WasiTransport, &c, &key)
    }

    fn list_webhooks(c: Connection) -> Result<Webhooks, Error> {
        webhooks::list_webhooks(&mut WasiTransport, &c)
    }

    fn delete_webhooks(c: Connection, keys: Vec<String>) -> Result<(), Error> {
        webhooks::delete_keys(&mut WasiTransport, &c, "webhooks", "webhookKeys", &keys)
    }

    fn create_user_subscriptions(
        c: Connection,
        list: Vec<NewUserSubscription>,
    ) -> Result<Vec<UserSubscription>, Error> {
        webhooks::create_user_subscriptions(&mut WasiTransport, &c, &list)
    }

    fn list_user_subscriptions(c: Connection) -> Result<UserSubscriptions, Error> {
        webhooks::list_user_subscriptions(&mut WasiTransport, &c)
    }

    fn get_user_subscription(c: Connection, key: String) -> Result<UserSubscription, Error> {
        webhooks::get_user_subscription(&mut WasiTransport, &c, &key)
    }

    fn delete_user_subscriptions(c: Connection, keys: Vec<String>) -> Result<(), Error> {
        webhooks::delete_keys(
            &mut WasiTransport,
            &c,
            "userSubscriptions",
            "userSubscriptionKeys",
            &keys,
        )
    }

    fn parse_webhook_event(body: String) -> Result<WebhookEvent, Error> {
        webhooks::parse_webhook_event(&body)
    }
}

impl Reports for Component {
    fn list_session_polls(
        c: Connection,
        org: u64,
        key: u64,
        s: u64,
    ) -> Result<SessionPolls, Error> {
        reports::list_session_polls(&mut WasiTransport, &c, [org, key, s])
    }

    fn list_session_questions(
        c: Connection,
        org: u64,
        key: u64,
        s: u64,
    ) -> Result<SessionQuestions, Error> {
        reports::list_session_questions(&mut WasiTransport, &c, [org, key, s])
    }

    fn list_session_surveys(
        c: Connection,
        org: u64,
        key: u64,
        s: u64,
    ) -> Result<SessionSurveys, Error> {
        reports::list_session_surveys(&mut WasiTransport, &c, [org, key, s])
    }

    fn list_webinar_attendees(
        c: Connection,
        org: u64,
        key: u64,
        paging: Option<Paging>,
    ) -> Result<WebinarAttendeePage, Error> {
        reports::list_webinar_attendees(&mut WasiTransport, &c, org, key, paging.as_ref())
    }

    fn get_webinar_performance(
        c: Connection,
        org: u64,
        key: u64,
    ) -> Result<Vec<SessionFigures>, Error> {
        reports::get_webinar_performance(&mut WasiTransport, &c, org, key)
    }
}

impl Scheduling for Component {
    fn list_in_session_webinars(
        c: Connection,
        org: u64,
        range: Option<DateRange>,
    ) -> Result<InSessionWebinars, Error> {
        scheduling::list_in_session_webinars(&mut WasiTransport, &c, org, range.as_ref())
    }

    fn list_webinar_meeting_times(
        c: Connection,
        org: u64,
        key: u64,
    ) -> Result<WebinarMeetingTimes, Error> {
        scheduling::list_webinar_meeting_times(&mut WasiTransport, &c, org, key)
    }

    fn get_webinar_start_url(c: Connection, key: u64) -> Result<String, Error> {
        scheduling::get_webinar_start_url(&mut WasiTransport, &c, key)
    }

    fn copy_webinar(c: Connection, key: u64, copy: WebinarCopy) -> Result<u64, Error> {
        scheduling::copy_webinar(&mut WasiTransport, &c, key, &copy)
    }
}
