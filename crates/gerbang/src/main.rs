//! The `gerbang` binary. Everything lives in the library; see `cli.rs`.

/// mimalloc: seeding and serving allocate and free many small strings across
/// threads, where it measurably beats the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    gerbang::main()
}
