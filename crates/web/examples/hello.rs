//! The baseline of the access benchmark (BENCHMARKS.md): a trivial axum
//! server answering `POST /` with a fixed JSON body, built with the same
//! axum, tokio and allocator settings as Gerbang, so the difference measured
//! is Gerbang's own work (guards, look-up, durable audit).
//!
//! `cargo run --release -p gerbang-web --example hello -- 127.0.0.1:18081`

use axum::Router;
use axum::routing::post;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let address = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:18081".into());
    let app = Router::new().route("/", post(|| async { axum::Json(serde_json::json!({ "hello": "dunia" })) }));
    let listener = tokio::net::TcpListener::bind(address).await?;
    axum::serve(listener, app).await
}
