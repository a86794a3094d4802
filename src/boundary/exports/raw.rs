//! The exported `raw` interface: each function hands its arguments to
//! the product module with the wasi transport. No logic lives here.

use crate::bindings::exports::goto::connector::raw::{Guest as Raw, RawRequest, RawResponse};
use crate::boundary::component::Component;
use crate::boundary::transport::WasiTransport;
use crate::products::raw;
use crate::{Connection, Error};

impl Raw for Component {
    fn send_raw(connection: Connection, request: RawRequest) -> Result<RawResponse, Error> {
        raw::send_raw(&mut WasiTransport, &connection, &request)
    }
}
