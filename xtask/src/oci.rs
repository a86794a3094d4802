//! `cargo xtask publish-oci`: the component to an OCI registry with wkg.

/// `cargo xtask publish-oci REGISTRY/REPOSITORY [--insecure]`.
pub fn publish(_args: &[String]) -> anyhow::Result<()> {
    anyhow::bail!("publish-oci is not written yet")
}
