//! The exported `assist` interface: each function hands its arguments to
//! the product module with the wasi transport. No logic lives here.

use alloc::string::String;

use crate::bindings::exports::goto::connector::assist::{
    Guest as Assist, SystemLinkDetails, SystemLinks,
};
use crate::boundary::component::Component;
use crate::boundary::transport::WasiTransport;
use crate::products::assist;
use crate::{Connection, Error};

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
