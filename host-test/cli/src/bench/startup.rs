//! Sections 1 to 3: the component's size, compiling against loading its
//! precompiled form, and a new store and instance.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use wasmtime::component::Component;
use wasmtime::{Config, Engine};

use goto_host::Backend;
use goto_host::Connector;
use goto_host::blocking::block_on;
use goto_host::exchange::Egress;

use super::*;

/// Sections 1 and 2: the component's size, and compiling it against
/// loading its precompiled form.
pub(super) fn size_and_load(plan: &Plan) -> anyhow::Result<Target> {
    let wasm = goto_host::COMPONENT;
    // The same engine settings as every Connector, so compile and load
    // figures are the ones a call pays.
    let engine = Engine::new(goto_host::engine::settings(&mut Config::new()))?;
    let precompiled = engine.precompile_component(wasm)?;
    section("1. size");
    say(&format!(
        "component (release)          {:>12} bytes   (limit {MAX_SIZE})",
        wasm.len()
    ));
    say(&format!(
        "precompiled (serialized)     {:>12} bytes",
        precompiled.len()
    ));
    section("2. compile vs load a precompiled component");
    let compile = sample(plan.compiles, || {
        Component::new(&engine, wasm)?;
        Ok(())
    })?;
    // SAFETY: the bytes were produced just above by this engine.
    let load = sample(plan.loads, || {
        unsafe { Component::deserialize(&engine, &precompiled) }?;
        Ok(())
    })?;
    say(&format!(
        "Component::new (Cranelift)   p50 {:>10}   ({} runs)",
        ms(compile.p50),
        compile.n
    ));
    say(&format!(
        "Component::deserialize       p50 {:>10}   ({} runs, {:.0}x faster)",
        ms(load.p50),
        load.n,
        ratio(compile.p50, load.p50)
    ));
    Ok(Target {
        name: "component size (release)",
        goal: format!("<= {MAX_SIZE} B"),
        measured: format!("{} B", wasm.len()),
        ratio: wasm.len() as f64 / MAX_SIZE as f64,
    })
}

/// Section 3: a new store and instance, nothing called, with each
/// allocator; the pooled p50 is a target row.
pub(super) fn instantiate_section(
    default: &Connector,
    pooled: &Connector,
    plan: &Plan,
) -> anyhow::Result<Target> {
    section("3. new Store + InstancePre::instantiate");
    let egress: Arc<Mutex<dyn Egress>> = Arc::new(Mutex::new(Queue::default()));
    let mut pooled_p50 = Duration::ZERO;
    for (label, c) in [
        ("default allocator", default),
        ("pooling allocator", pooled),
    ] {
        let c = c.clone().with_backend(Backend::replay(egress.clone()));
        let s = sample(plan.instantiations, || Ok(block_on(c.instantiate_only())??))?;
        say(&format!("{label:<28} {}", s.line_us()));
        pooled_p50 = s.p50;
    }
    Ok(Target {
        name: "instantiate (pooling), p50",
        goal: "<= 20 us".into(),
        measured: us(pooled_p50),
        ratio: pooled_p50.as_secs_f64() / 20e-6,
    })
}
