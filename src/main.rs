//! The `smfcheck` binary: a thin wrapper around [`smfcheck::cli::main`].

fn main() -> std::process::ExitCode {
    smfcheck::cli::main()
}
