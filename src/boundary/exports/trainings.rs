//! The exported `trainings` interface: each function hands its arguments to
//! the product module with the wasi transport. No logic lives here.

use crate::bindings::exports::goto::connector::trainings::{
    CreatedTraining, Guest as TrainingsGuest, Training, TrainingDetails, TrainingOrganizers,
    Trainings,
};
use crate::boundary::component::Component;
use crate::boundary::transport::WasiTransport;
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
}
