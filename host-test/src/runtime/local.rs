//! Calls on a current-thread tokio runtime, through wasmtime's async API.
//!
//! The sync [`Connector::call_with`] blocks on wasmtime-wasi's own
//! multi-thread runtime, where the outgoing-request future runs on a worker
//! thread and every wait is a hop between threads. Here the guest (on a
//! fiber), the request future and its waker share one thread. Opt-in: one
//! [`CurrentThread`] per thread that makes calls.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Context;
use serde_json::Value;
use wasmtime::component::{InstancePre, Linker, Val};

use super::{Backend, CallOptions, Connector, Egress, Outcome, State};

/// A [`Connector`] driven by a current-thread runtime on the calling thread.
pub struct CurrentThread<'a> {
    connector: &'a Connector,
    pre: InstancePre<State>,
    runtime: tokio::runtime::Runtime,
}

impl Connector {
    /// The same component and policy, called through wasmtime's async API
    /// on a current-thread runtime (links the async WASI bindings once).
    pub fn current_thread(&self) -> anyhow::Result<CurrentThread<'_>> {
        let mut linker = Linker::<State>::new(&self.engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
        crate::limits::link_virtual_time(&mut linker)?;
        let pre = linker
            .instantiate_pre(self.pre.component())
            .map_err(anyhow::Error::from)
            .context("linking the component (async)")?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()?;
        Ok(CurrentThread {
            connector: self,
            pre,
            runtime,
        })
    }
}

impl CurrentThread<'_> {
    /// [`Connector::call_with`], run on this thread's runtime.
    pub fn call_with(
        &self,
        operation: &str,
        connection: &Value,
        input: &Value,
        egress: Arc<Mutex<dyn Egress>>,
        options: &CallOptions,
    ) -> anyhow::Result<Outcome> {
        let c = self.connector;
        let (op, params) = c.prepare(operation, connection, input)?;
        let denied = Arc::new(Mutex::new(Vec::new()));
        let started = Instant::now();
        let mut store = c.store(Backend::Recorded(egress), denied.clone(), options);
        let mut results = vec![Val::Bool(false); usize::from(op.result.is_some())];
        let mut instantiated = started;
        let called = self.runtime.block_on(async {
            let instance = self.pre.instantiate_async(&mut store).await?;
            instantiated = Instant::now();
            let func = instance
                .get_func(&mut store, op.index)
                .ok_or_else(|| wasmtime::format_err!("export {operation} vanished"))?;
            func.call_async(&mut store, &params, &mut results).await
        });
        let times = (instantiated - started, instantiated.elapsed());
        c.outcome(operation, &store, called, &results, &denied, times)
    }

    /// A fresh store and instance on this runtime, nothing called.
    pub fn instantiate_only(&self, egress: Arc<Mutex<dyn Egress>>) -> anyhow::Result<()> {
        let mut store = self.connector.store(
            Backend::Recorded(egress),
            Arc::default(),
            &CallOptions::default(),
        );
        self.runtime
            .block_on(self.pre.instantiate_async(&mut store))?;
        Ok(())
    }
}
