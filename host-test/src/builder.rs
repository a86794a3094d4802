//! [`Builder`]: how a [`Connector`] is set up (the component, the policy,
//! the limits, the pool, the engine, the backend, the network, the compile
//! cache) and made: the component compiled or loaded, linked, its operations found.

use std::borrow::Cow;
use std::path::PathBuf;

use anyhow::Context;
use wasmtime::Config;
use wasmtime::component::Linker;

use crate::engine::{self, DEFAULT_POOL_SIZE};
use crate::limits::Limits;
use crate::network::{NetworkSettings, Pool};
use crate::policy::Policy;
use crate::runtime::Connector;
use crate::sandbox::{self, Backend, State};

/// How a [`Connector`] is set up: the component, the network policy, the
/// per-call limits, the pool, the engine and where requests go. Every
/// setting but the component has a default: GoTo's policy
/// ([`Policy::goto_default`]), [`Limits::default`], a pool of
/// [`DEFAULT_POOL_SIZE`] instances and the real network.
#[must_use = "a builder does nothing until `build` is called"]
pub struct Builder {
    wasm: Cow<'static, [u8]>,
    policy: Policy,
    limits: Limits,
    pool_size: usize,
    config: Option<Config>,
    backend: Backend,
    network: NetworkSettings,
    cache_dir: Option<PathBuf>,
}

impl Builder {
    /// The network policy: which origins the component may reach.
    pub fn policy(mut self, policy: Policy) -> Builder {
        self.policy = policy;
        self
    }

    /// The limits of every call (time, memory, response size).
    pub fn limits(mut self, limits: Limits) -> Builder {
        self.limits = limits;
        self
    }

    /// How many calls run at once; more wait for a free instance within
    /// their own deadline.
    pub fn pool_size(mut self, pool_size: usize) -> Builder {
        self.pool_size = pool_size;
        self
    }

    /// wasmtime settings of the caller's, instead of the pooling allocator
    /// sized to the pool ([`crate::engine::pooling`]); the component model and
    /// epoch interruption are set on top ([`crate::engine::settings`]). The
    /// pool size must not exceed what the configuration's allocator holds.
    pub fn config(mut self, config: Config) -> Builder {
        self.config = Some(config);
        self
    }

    /// Where the requests the policy allows go (default: the network).
    pub fn backend(mut self, backend: Backend) -> Builder {
        self.backend = backend;
        self
    }

    /// How live calls reach GoTo: how long unused connections stay open,
    /// how many per origin, and any certificates to trust besides the
    /// webpki roots ([`NetworkSettings::default`] otherwise).
    pub fn network(mut self, network: NetworkSettings) -> Builder {
        self.network = network;
        self
    }

    /// Keeps the compiled component in `dir` ([`crate::cache`]), so only
    /// the first start after a change compiles (about 1 s in a release
    /// build, 25 s in a debug one).
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> Builder {
        self.cache_dir = Some(dir.into());
        self
    }

    /// Compiles the component (or loads it from the cache) and resolves its
    /// imports and exports. Without [`Builder::config`], the engine uses the
    /// pooling allocator where the process can reserve its address space,
    /// the default allocator where it cannot.
    pub fn build(self) -> anyhow::Result<Connector> {
        let network = Pool::new(&self.network)?;
        let engine = match self.config {
            Some(config) => engine::engine(config)?,
            None => engine::default_engine(self.pool_size)?,
        };
        let component = match &self.cache_dir {
            Some(dir) => crate::cache::load_or_compile(&engine, &self.wasm, dir)?,
            None => crate::cache::compile(&engine, &self.wasm)?,
        };
        let mut linker = Linker::<State>::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
        sandbox::link_virtual_time(&mut linker)?;
        let pre = linker
            .instantiate_pre(&component)
            .map_err(anyhow::Error::from)
            .context("linking the component")?;
        let operations = engine::discover(&engine, &component)?;
        Ok(Connector::assemble(
            engine,
            pre,
            operations,
            self.pool_size,
            (self.policy, self.limits, self.backend, network),
        ))
    }
}

impl Connector {
    /// Sets up a connector for the component `wasm` (the bytes of
    /// `goto-connector-<version>.wasm`); [`Builder::build`] compiles it.
    pub fn builder(wasm: impl Into<Cow<'static, [u8]>>) -> Builder {
        Builder {
            wasm: wasm.into(),
            policy: Policy::goto_default(),
            limits: Limits::default(),
            pool_size: DEFAULT_POOL_SIZE,
            config: None,
            backend: Backend::Network,
            network: NetworkSettings::default(),
            cache_dir: None,
        }
    }

    /// [`Connector::builder`] for the component built from this checkout
    /// ([`crate::COMPONENT`]), its compiled form cached in the library's
    /// build directory.
    #[cfg(feature = "embedded")]
    pub fn embedded() -> Builder {
        Connector::builder(crate::COMPONENT).cache_dir(env!("OUT_DIR"))
    }
}
