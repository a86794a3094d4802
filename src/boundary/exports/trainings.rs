//! The exported GoToTraining interfaces (`trainings`,
//! `training-registrants`, `training-reports`): each function hands its
//! arguments to the product module with the wasi transport. No logic lives
//! here.

use alloc::string::String;
use alloc::vec::Vec;

use crate::bindings::exports::goto::connector::training_registrants::{
    Guest as TrainingRegistrantsGuest, NewTrainingRegistrant, TrainingRegistrant,
    TrainingRegistrantPoll, TrainingRegistrants, TrainingRegistration,
};
use crate::bindings::exports::goto::connector::training_reports::{
    Guest as TrainingReportsGuest, TrainingAttendees, TrainingRecordings, TrainingSessions,
};
use crate::bindings::exports::goto::connector::trainings::{
    CreatedTraining, Guest as TrainingsGuest, NotifiedParties, RegistrationSettings, Training,
    TrainingDetails, TrainingOrganizers, TrainingSchedule, Trainings,
};
use crate::boundary::component::Component;
use crate::boundary::transport::WasiTransport;
use crate::exports::meetings::DateRange;
use crate::products::trainings;
use crate::{Connection, Error};

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

    fn update_training_name(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
        name: String,
        description: Option<String>,
    ) -> Result<(), Error> {
        trainings::update_training_name(
            &mut WasiTransport,
            &connection,
            organizer_key,
            training_key,
            &name,
            description.as_deref(),
        )
    }

    fn update_training_times(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
        schedule: TrainingSchedule,
    ) -> Result<NotifiedParties, Error> {
        trainings::update_training_times(
            &mut WasiTransport,
            &connection,
            organizer_key,
            training_key,
            &schedule,
        )
    }

    fn update_training_registration_settings(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
        settings: RegistrationSettings,
    ) -> Result<(), Error> {
        trainings::update_training_registration_settings(
            &mut WasiTransport,
            &connection,
            organizer_key,
            training_key,
            &settings,
        )
    }

    fn list_training_organizers(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
    ) -> Result<TrainingOrganizers, Error> {
        trainings::list_training_organizers(
            &mut WasiTransport,
            &connection,
            organizer_key,
            training_key,
        )
    }

    fn update_training_organizers(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
        organizer_keys: Vec<u64>,
        notify_organizers: bool,
    ) -> Result<(), Error> {
        trainings::update_training_organizers(
            &mut WasiTransport,
            &connection,
            organizer_key,
            training_key,
            &organizer_keys,
            notify_organizers,
        )
    }

    fn get_training_management_url(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
    ) -> Result<String, Error> {
        trainings::get_training_management_url(
            &mut WasiTransport,
            &connection,
            organizer_key,
            training_key,
        )
    }

    fn get_training_start_url(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
    ) -> Result<String, Error> {
        trainings::get_training_start_url(
            &mut WasiTransport,
            &connection,
            organizer_key,
            training_key,
        )
    }

    fn start_training(connection: Connection, training_key: u64) -> Result<String, Error> {
        trainings::start_training(&mut WasiTransport, &connection, training_key)
    }
}

impl TrainingRegistrantsGuest for Component {
    fn list_training_registrants(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
    ) -> Result<TrainingRegistrants, Error> {
        trainings::list_training_registrants(
            &mut WasiTransport,
            &connection,
            organizer_key,
            training_key,
        )
    }

    fn register_for_training(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
        registrant: NewTrainingRegistrant,
    ) -> Result<TrainingRegistration, Error> {
        trainings::register_for_training(
            &mut WasiTransport,
            &connection,
            organizer_key,
            training_key,
            &registrant,
        )
    }

    fn get_training_registrant(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
        registrant_key: u64,
    ) -> Result<TrainingRegistrant, Error> {
        trainings::get_training_registrant(
            &mut WasiTransport,
            &connection,
            organizer_key,
            training_key,
            registrant_key,
        )
    }

    fn cancel_training_registration(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
        registrant_key: u64,
    ) -> Result<(), Error> {
        trainings::cancel_training_registration(
            &mut WasiTransport,
            &connection,
            organizer_key,
            training_key,
            registrant_key,
        )
    }

    fn poll_new_training_registrants(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
        cursor: Option<String>,
    ) -> Result<TrainingRegistrantPoll, Error> {
        trainings::poll_new_training_registrants(
            &mut WasiTransport,
            &connection,
            organizer_key,
            training_key,
            cursor.as_deref(),
        )
    }
}

impl TrainingReportsGuest for Component {
    fn list_organizer_training_sessions(
        connection: Connection,
        organizer_key: u64,
        range: DateRange,
    ) -> Result<TrainingSessions, Error> {
        trainings::list_organizer_training_sessions(
            &mut WasiTransport,
            &connection,
            organizer_key,
            &range,
        )
    }

    fn list_training_sessions(
        connection: Connection,
        organizer_key: u64,
        training_key: u64,
    ) -> Result<TrainingSessions, Error> {
        trainings::list_training_sessions(
            &mut WasiTransport,
            &connection,
            organizer_key,
            training_key,
        )
    }

    fn list_training_attendance(
        connection: Connection,
        organizer_key: u64,
        session_key: u64,
    ) -> Result<TrainingAttendees, Error> {
        trainings::list_training_attendance(
            &mut WasiTransport,
            &connection,
            organizer_key,
            session_key,
        )
    }

    fn list_training_recordings(
        connection: Connection,
        training_key: u64,
    ) -> Result<TrainingRecordings, Error> {
        trainings::list_training_recordings(&mut WasiTransport, &connection, training_key)
    }

    fn get_training_recording_download(
        connection: Connection,
        training_key: u64,
        recording_id: u64,
    ) -> Result<String, Error> {
        trainings::get_training_recording_download(
            &mut WasiTransport,
            &connection,
            training_key,
            recording_id,
        )
    }
}
