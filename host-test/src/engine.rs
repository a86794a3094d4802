//! The engine a [`crate::Connector`] runs on (component model, epoch
//! interruption, the pooling allocator sized to the connector's pool) and
//! the component's operations as found in its exports.

use std::collections::BTreeMap;

use anyhow::{anyhow, bail};
use wasmtime::component::types::{ComponentFunc, ComponentItem};
use wasmtime::component::{Component, ComponentExportIndex, Type};
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

use crate::limits;

/// How many calls a connector runs at once unless told otherwise; more
/// wait for a free instance.
pub const DEFAULT_POOL_SIZE: usize = 64;

/// An engine for the component with the caller's settings, and its epoch
/// ticker (the time limit).
pub(crate) fn engine(mut config: Config) -> anyhow::Result<Engine> {
    let engine = Engine::new(settings(&mut config))?;
    limits::start_ticker(&engine);
    Ok(engine)
}

/// What every engine of a [`crate::Connector`] sets on top of the caller's
/// configuration: the component model and epoch interruption (the time
/// limit; its checks at every guest function entry and loop header are about
/// a quarter of the guest's instructions, the price of stopping a guest that
/// loops). Cranelift's inlining (`compiler_inlining`) was measured and left
/// off: fewer guest instructions, but compiling took 4.5x as long, the
/// compiled code tripled and calls got slower.
pub fn settings(config: &mut Config) -> &mut Config {
    config.wasm_component_model(true).epoch_interruption(true)
}

/// The pooling allocator for `pool_size` calls at a time when this process
/// can reserve its address space, else the default allocator (valgrind, or
/// a `ulimit -v`, refuse the reservation).
pub(crate) fn default_engine(pool_size: usize) -> anyhow::Result<Engine> {
    let mut pooled = Config::new();
    pooled.allocation_strategy(pooling(pool_size));
    engine(pooled).or_else(|_| engine(Config::new()))
}

/// The pooling allocator as [`crate::Builder::build`] sets it up:
/// instances, memories and fiber stacks for `pool_size` calls at a time,
/// reused instead of mapped and unmapped per call. It reserves about 4 GiB
/// and guard pages of address space per slot up front (nothing is committed
/// until used), so every memory can grow as far as [`crate::Limits`]
/// allows; an idle slot keeps up to 1 MiB of its memory resident.
pub fn pooling(pool_size: usize) -> InstanceAllocationStrategy {
    let n = u32::try_from(pool_size.max(1)).unwrap_or(u32::MAX);
    let mut pool = PoolingAllocationConfig::default();
    pool.total_component_instances(n)
        .total_core_instances(n.saturating_mul(4))
        .total_memories(n)
        .total_tables(n.saturating_mul(4))
        .total_stacks(n)
        .max_memory_size(1 << 32)
        // Reset tables and fiber stacks with memset instead of giving the
        // pages back to the kernel, so the next instance takes no page faults
        // there.
        .table_keep_resident(64 << 10)
        .async_stack_keep_resident(128 << 10);
    // Where Linux tells which pages a call wrote (PAGEMAP_SCAN, 6.7 and
    // later), those pages (up to 1 MiB of them) are reset in place and stay
    // mapped: no madvise after a call, no page faults in the next one (a
    // quarter off a replayed call). Without it, keeping memory resident
    // means memsetting all of it, which costs more than the faults it saves.
    if PoolingAllocationConfig::is_pagemap_scan_available() {
        pool.linear_memory_keep_resident(1 << 20)
            .pagemap_scan(wasmtime::Enabled::Yes);
    }
    InstanceAllocationStrategy::Pooling(pool)
}

/// One exported function of the component.
#[derive(Clone)]
pub struct Operation {
    /// The WIT function name, e.g. `create-meeting`.
    pub name: String,
    /// The exporting interface, e.g. `goto:connector/meetings@0.4.0`.
    pub interface: String,
    /// The parameters (WIT names, kebab-case) and their types, in order.
    pub params: Vec<(String, Type)>,
    /// The result type (`result<T, error>` for every operation).
    pub result: Option<Type>,
    pub(crate) index: ComponentExportIndex,
}

/// Every function the component exports from its interfaces, by name.
pub(crate) fn discover(
    engine: &Engine,
    component: &Component,
) -> anyhow::Result<BTreeMap<String, Operation>> {
    let mut ops = BTreeMap::new();
    for (iface, item) in component.component_type().exports(engine) {
        let ComponentItem::ComponentInstance(instance) = item.ty else {
            continue;
        };
        let (_, iface_index) = component
            .get_export(None, iface)
            .ok_or_else(|| anyhow!("export {iface} not found"))?;
        for (name, item) in instance.exports(engine) {
            let ComponentItem::ComponentFunc(func) = item.ty else {
                continue;
            };
            let (_, index) = component
                .get_export(Some(&iface_index), name)
                .ok_or_else(|| anyhow!("export {name} not found"))?;
            let op = operation(name, iface, &func, index);
            if ops.insert(name.to_string(), op).is_some() {
                bail!("operation {name} is exported twice; names must be unique across interfaces");
            }
        }
    }
    Ok(ops)
}

fn operation(
    name: &str,
    iface: &str,
    func: &ComponentFunc,
    index: ComponentExportIndex,
) -> Operation {
    Operation {
        name: name.to_string(),
        interface: iface.to_string(),
        params: func.params().map(|(n, t)| (n.to_string(), t)).collect(),
        result: func.results().next(),
        index,
    }
}
