//! The `smfcheck` binary: a thin wrapper around [`smfcheck::cli::main`].

/// Exploration clones a state per transition, and a campaign state holds a few small vectors:
/// allocation dominated the profile with the system allocator (README, Speed).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    smfcheck::cli::main()
}
