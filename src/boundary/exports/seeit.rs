//! The exported `seeit` interface: each function hands its arguments to
//! the product module with the wasi transport. No logic lives here.

use alloc::string::String;

use crate::bindings::exports::goto::connector::seeit::{
    Guest as Seeit, SeeitSession, SeeitSessionDetails, SeeitSessionPage, SeeitSessionQuery,
};
use crate::boundary::component::Component;
use crate::boundary::transport::WasiTransport;
use crate::products::seeit;
use crate::{Connection, Error};

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
